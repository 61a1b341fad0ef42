// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package store reads and writes the files that pass data between goldmine
// stages: MadMiner-layout HDF5 setup and event files, NumPy .npy arrays, and
// any file written atomically (temporary file in the same directory, fsync,
// rename), so a reader never sees a half-written output.
//
// # HDF5 layout
//
// Setup and event files follow the layout of MadMiner (utils/interfaces/hdf5.py):
//
//	parameters/names, lha_blocks, transforms   S256 [n_parameters]
//	parameters/lha_ids, max_power              int64 [n_parameters]
//	parameters/val_ranges                      float64 [n_parameters, 2]
//	benchmarks/names                           S256 [n_benchmarks]
//	benchmarks/values                          float64 [n_benchmarks, n_parameters]
//	benchmarks/is_nuisance, is_reference       int64 0/1 [n_benchmarks]
//	morphing/components                        int64 [n_components, n_parameters]
//	morphing/morphing_matrix                   float64 [n_components, n_basis]
//	systematics/names, types, values, scales   S256 [n_systematics]
//	nuisance_parameters/names, systematics,
//	    benchmark_positive, benchmark_negative S256 [n_nuisance]
//	observables/names, definitions             S256 [n_observables]
//	samples/observations                       float64 [n_events, n_observables]
//	samples/weights                            float64 [n_events, n_benchmarks]
//	samples/sampling_benchmarks                int64 [n_events]
//	sample_summary/signal_events               int64 [n_benchmarks]
//	sample_summary/background_events           int64 scalar
//	goldmine_part/sample, job                  S256 [1]   (partial files only)
//	goldmine_part/events                       int64 [1]  (partial files only)
//
// The goldmine_part group marks a partial events file, one shard of a
// sample made by a sharded analyse (EventsHeader.Part); MadMiner does not
// read it. MergeEvents combines partial files as MadMiner's
// combine_and_shuffle does, counting a sample split across files once.
//
// An events file marks one reference benchmark in benchmarks/is_reference:
// the one the header marks, else the first physics benchmark, as MadMiner's
// LHE and Delphes readers do (analyse_samples(reference_benchmark=None));
// setup files mark none, as MadMiner's MadMiner.save.
//
// Groups without content (no morphing, no systematics, no nuisance
// parameters) are omitted, as MadMiner does. The morphing matrix is stored and
// returned exactly as MadMiner stores it: M[c][b], rows are morphing components
// and columns are basis benchmarks (the first n_basis entries of benchmarks), so
// that the weight of benchmark b at θ is w_b(θ) = Σ_c M[c][b] ∏_p θ_p^{n_cp}.
//
// Absent values: MadMiner (HEAD) writes the string "None" for a missing
// transform, systematic scale or negative nuisance benchmark; older versions
// wrote "". Both read back as "" here, and "" is written as "None". Any other
// string (for example the placeholder "_" in some files) is kept verbatim.
//
// The 2019 layout (madminer2019_oldformat_926ev.h5) is read too: it has
// parameters/ranges instead of val_ranges, max_power of shape [n_parameters, 1],
// and neither samples/sampling_benchmarks nor sample_summary. For such files
// EventFile.HasSamplingBenchmarks reports false and every sampling id reads
// as -1.
//
// # Implementation and limits
//
// HDF5 structure (superblock, groups, object headers, small datasets) is
// written with the pure-Go github.com/scigolib/hdf5 v0.14.1. That library only
// writes a dataset in one call holding all of its data, cannot write a scalar
// dataspace and cannot write a dimension of length 0. To keep memory bounded
// by the batch size, EventWriter spills rows to temporary binary files; at
// Close it lets the library lay out the file with the sample datasets
// allocated (contiguous, uncompressed, as in MadMiner's files) but unwritten,
// then copies the spilled rows into place in slabs. The scalar
// sample_summary/background_events is written as a one-element dataset and its
// dataspace message is then patched to rank 0 (a version-1 dataspace of rank 0
// is a scalar), with the object-header checksum recomputed and verified. An
// events file therefore needs at least one event and one observable.
// Strings are fixed-length 256-byte ASCII; the library marks them
// null-terminated rather than null-padded, which h5py and MadMiner read as
// the same S256. A string longer than 255 bytes is an error, never truncated.
//
// Reading uses the library to walk the file and to read small datasets. The
// samples are read in batches directly from their contiguous storage (the
// address is parsed from the library's Dataset.Info description, and the
// first row is checked against the library's own hyperslab read when the
// file is opened); chunked or compressed sample datasets fall back to the
// library's hyperslab reads. Memory use of EventWriter and EventFile.Read
// does not grow with the number of events: about 5 MB for writing (spill
// buffers) and the batch plus about 3 MB for reading, at any file size.
// Measured on the 2-core development machine (BenchmarkEventsWrite/Read,
// 1,000,000 events of 7 observables and 6 weights, 112 MB of values, file in
// the page cache): writing 0.30 s (370 MB/s), reading in batches of 10,000
// 0.021 s (5 GB/s).
//
// # Declared sizes
//
// A file's header must not be able to make a reader allocate what the file
// does not hold. Before the library reads a dataset, its dataspace is
// checked against the bytes behind it: contiguous data must lie within the
// file, compact data within its header message, chunks must be at most 64
// MB, and a dataset read in one piece (everything but the samples) at most
// 256 MB. A chunked dataset must have every chunk stored (the library
// would read missing chunks as zeros). The sample datasets of an events
// file must agree on the number of rows; a disagreement names each dataset
// and its count. Every such error names the file, the dataset and both
// numbers.
//
// # NumPy files
//
// The codec is internal/npy, shared with package ml. WriteNPY writes
// version 1.0 .npy files, little-endian '<f8' or '<f4', C order. ReadNPY
// reads '<f8', '<f4', '<i8', '<i4' (and their big-endian forms) in C order,
// returning float64 values; the shape is checked against the file size
// before anything is allocated. For arrays too large to hold,
// NPYWriter appends rows and writes the final shape at Close, and NPYFile
// reads any range of rows. ReadMatrix reads a 1-d or 2-d array of finite
// values as a matrix of a given number of columns, checking the shape
// first.
//
// # Rows, spills and nuisance benchmarks
//
// EventFile.Shape and ReadRows serve the events as batches of row-major
// observables and weights (the batch reader packages limits and
// limits/fisher declare). Spill holds rows in a temporary file and gives
// them back in any order, so that a writer can shuffle a file larger than
// memory (package analysis shuffles its events so). EventsHeader's
// NuisanceBenchmarks locates the reference and ±1σ benchmarks of the
// nuisance parameters.
package store

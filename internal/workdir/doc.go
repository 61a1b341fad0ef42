// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package workdir keeps a working directory: the folder a campaign writes
// its files into. Every write goes through one os.Root opened on the
// folder (Dir.Root), so that neither a name nor a planted symbolic link
// can lead a write outside it. One process at a time writes into the
// folder, under its lock (Dir.Lock); a process that writes only one
// sub-folder, a shard of a workflow, takes that sub-folder's lock instead
// (Dir.LockSub), so that the writers of different sub-folders run at
// once, and the process that reads the sub-folders' files afterwards
// refuses one still being written (Dir.SubBusy, ReadParts). The locks
// are those of package lockfile.
//
// Besides the files of its users, the folder holds:
//
//	.goldmine/lock    the folder's lock (LockFile)
//	.goldmine/locks/  the locks of sub-folders, SUB.lock (SubLockDir)
//	.goldmine/units/  the records of the units that finished (UnitsDir, Dir.Runner)
package workdir

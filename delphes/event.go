// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package delphes

// Event is one entry of a Delphes tree. Collections that were not read
// are empty. Momenta and energies are in GeV, as Delphes writes them.
type Event struct {
	Entry int64 // entry number in the tree

	// From the Event branch (HepMCEvent or LHEFEvent), if present.
	Number int64   // Event.Number
	Weight float64 // Event.Weight
	// ID1, ID2, X1 and X2 are the PDG ids and momentum fractions of the
	// incoming partons of the hard process (Event.ID1, ..., HepMC's
	// GenPdfInfo), for beam 1 (towards +z) and beam 2. Files made from
	// HepMC by Delphes have them; they are zero otherwise.
	ID1, ID2 int
	X1, X2   float64

	// Weights holds the Weight branch (Weight.Weight), in file order.
	// Delphes leaves it empty unless the input carried extra weights.
	Weights []float64

	Electrons []Lepton
	Muons     []Lepton
	Photons   []Photon
	Jets      []Jet
	MissingET []MissingET
	ScalarHT  []float64 // ScalarHT.HT

	// Generator level.
	Particles    []Particle
	GenJets      []Jet
	GenMissingET []MissingET
}

// Lepton is a reconstructed electron or muon.
type Lepton struct {
	PT, Eta, Phi float64
	Charge       int
}

// Photon is a reconstructed photon.
type Photon struct {
	PT, Eta, Phi, E float64
}

// Jet is a reconstructed or generator-level jet. BTag and TauTag are the
// bit masks Delphes writes: bit k is set when the k-th tagging working
// point of the detector card accepted the jet.
type Jet struct {
	PT, Eta, Phi, Mass float64
	BTag, TauTag       uint32
	Charge             int
}

// BTagged reports whether bit k of the b-tag mask is set.
func (j Jet) BTagged(k uint) bool { return j.BTag&(1<<k) != 0 }

// TauTagged reports whether bit k of the tau-tag mask is set.
func (j Jet) TauTagged(k uint) bool { return j.TauTag&(1<<k) != 0 }

// MissingET is Delphes' missing transverse energy object.
type MissingET struct {
	MET, Eta, Phi float64
}

// Particle is a generator-level particle (Delphes GenParticle). M1, M2,
// D1 and D2 are indices into the event's Particles of the mothers and
// daughters, -1 if none.
type Particle struct {
	PID, Status, Charge int
	M1, M2, D1, D2      int
	Px, Py, Pz, E, Mass float64
	PT, Eta, Phi        float64
}

// collection describes how a Delphes branch fills an Event.
type collection struct {
	members []string
	// optional members are read when the branch has them all, after
	// members (Clones.Has tells whether they are).
	optional []string
	fill     func(ev *Event, c *Clones, n int)
}

// Collection names accepted in Options.Collections, in reading order.
var collectionNames = []string{
	"Event", "Weight",
	"Electron", "Muon", "Photon", "Jet", "MissingET", "ScalarHT",
	"Particle", "GenJet", "GenMissingET",
}

var collections = map[string]collection{
	"Event": {
		members:  []string{"Number", "Weight"},
		optional: []string{"ID1", "ID2", "X1", "X2"},
		fill: func(ev *Event, c *Clones, n int) {
			ev.ID1, ev.ID2, ev.X1, ev.X2 = 0, 0, 0, 0
			if n > 0 {
				ev.Number = c.Int64(0, 0)
				ev.Weight = c.Float64(1, 0)
				if c.has(5) {
					ev.ID1, ev.ID2 = int(c.Int64(2, 0)), int(c.Int64(3, 0))
					ev.X1, ev.X2 = c.Float64(4, 0), c.Float64(5, 0)
				}
			}
		},
	},
	"Weight": {
		members: []string{"Weight"},
		fill: func(ev *Event, c *Clones, n int) {
			ev.Weights = ev.Weights[:0]
			for j := range n {
				ev.Weights = append(ev.Weights, c.Float64(0, j))
			}
		},
	},
	"Electron": {
		members: leptonMembers,
		fill:    func(ev *Event, c *Clones, n int) { ev.Electrons = fillLeptons(ev.Electrons[:0], c, n) },
	},
	"Muon": {
		members: leptonMembers,
		fill:    func(ev *Event, c *Clones, n int) { ev.Muons = fillLeptons(ev.Muons[:0], c, n) },
	},
	"Photon": {
		members: []string{"PT", "Eta", "Phi", "E"},
		fill: func(ev *Event, c *Clones, n int) {
			ev.Photons = ev.Photons[:0]
			for j := range n {
				ev.Photons = append(ev.Photons, Photon{
					PT: c.Float64(0, j), Eta: c.Float64(1, j), Phi: c.Float64(2, j), E: c.Float64(3, j),
				})
			}
		},
	},
	"Jet": {
		members: jetMembers,
		fill:    func(ev *Event, c *Clones, n int) { ev.Jets = fillJets(ev.Jets[:0], c, n) },
	},
	"GenJet": {
		members: jetMembers,
		fill:    func(ev *Event, c *Clones, n int) { ev.GenJets = fillJets(ev.GenJets[:0], c, n) },
	},
	"MissingET": {
		members: metMembers,
		fill:    func(ev *Event, c *Clones, n int) { ev.MissingET = fillMET(ev.MissingET[:0], c, n) },
	},
	"GenMissingET": {
		members: metMembers,
		fill:    func(ev *Event, c *Clones, n int) { ev.GenMissingET = fillMET(ev.GenMissingET[:0], c, n) },
	},
	"ScalarHT": {
		members: []string{"HT"},
		fill: func(ev *Event, c *Clones, n int) {
			ev.ScalarHT = ev.ScalarHT[:0]
			for j := range n {
				ev.ScalarHT = append(ev.ScalarHT, c.Float64(0, j))
			}
		},
	},
	"Particle": {
		members: []string{"PID", "Status", "Charge", "M1", "M2", "D1", "D2", "Px", "Py", "Pz", "E", "Mass", "PT", "Eta", "Phi"},
		fill: func(ev *Event, c *Clones, n int) {
			ev.Particles = ev.Particles[:0]
			for j := range n {
				ev.Particles = append(ev.Particles, Particle{
					PID: int(c.Int64(0, j)), Status: int(c.Int64(1, j)), Charge: int(c.Int64(2, j)),
					M1: int(c.Int64(3, j)), M2: int(c.Int64(4, j)), D1: int(c.Int64(5, j)), D2: int(c.Int64(6, j)),
					Px: c.Float64(7, j), Py: c.Float64(8, j), Pz: c.Float64(9, j), E: c.Float64(10, j),
					Mass: c.Float64(11, j), PT: c.Float64(12, j), Eta: c.Float64(13, j), Phi: c.Float64(14, j),
				})
			}
		},
	},
}

var (
	leptonMembers = []string{"PT", "Eta", "Phi", "Charge"}
	jetMembers    = []string{"PT", "Eta", "Phi", "Mass", "BTag", "TauTag", "Charge"}
	metMembers    = []string{"MET", "Eta", "Phi"}
)

func fillLeptons(dst []Lepton, c *Clones, n int) []Lepton {
	for j := range n {
		dst = append(dst, Lepton{PT: c.Float64(0, j), Eta: c.Float64(1, j), Phi: c.Float64(2, j), Charge: int(c.Int64(3, j))})
	}
	return dst
}

func fillJets(dst []Jet, c *Clones, n int) []Jet {
	for j := range n {
		dst = append(dst, Jet{
			PT: c.Float64(0, j), Eta: c.Float64(1, j), Phi: c.Float64(2, j), Mass: c.Float64(3, j),
			BTag: uint32(c.Int64(4, j)), TauTag: uint32(c.Int64(5, j)), Charge: int(c.Int64(6, j)),
		})
	}
	return dst
}

func fillMET(dst []MissingET, c *Clones, n int) []MissingET {
	for j := range n {
		dst = append(dst, MissingET{MET: c.Float64(0, j), Eta: c.Float64(1, j), Phi: c.Float64(2, j)})
	}
	return dst
}

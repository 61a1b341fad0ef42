// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package workflow

import "fmt"

// flavours are CERN's HTCondor job flavours and their maximum run times in
// minutes, shortest first.
var flavours = []struct {
	name    string
	minutes int
}{
	{"espresso", 20},
	{"microcentury", 60},
	{"longlunch", 120},
	{"workday", 8 * 60},
	{"tomorrow", 24 * 60},
	{"testmatch", 3 * 24 * 60},
	{"nextweek", 7 * 24 * 60},
}

// flavour returns the shortest CERN job flavour whose limit holds a job of
// the given minutes.
func flavour(minutes int) (string, error) {
	for _, f := range flavours {
		if minutes <= f.minutes {
			return f.name, nil
		}
	}
	last := flavours[len(flavours)-1]
	return "", fmt.Errorf("a run time of %d minutes exceeds the longest CERN job flavour, %s (%d minutes)", minutes, last.name, last.minutes)
}

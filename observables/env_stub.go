package observables

type evalEnv struct{}

package porcupine

// Times Porcupine on the Knossos cas-register histories of the shared corpus,
// which its own driver (../shared/porcupine/run.sh) does not cover. bench/porcupine.ts
// copies this file into a Porcupine checkout and hands it the histories already
// paired (KNOSSOS_IN, JSON), so parsing is excluded as in the driver: median of 5.
// The model is Knossos's cas-register: a read of nil is legal in any state; a cas
// whose outcome is unknown either took effect (from matched) or did not.

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"testing"
	"time"
)

const knossosNil = -1000000

type knossosIn struct {
	F    string
	A, B int
}

type knossosOut struct {
	V     int
	Known bool
}

type knossosFile struct {
	File    string `json:"file"`
	Initial int    `json:"initial"`
	Ops     []struct {
		Client int    `json:"client"`
		F      string `json:"f"`
		A      int    `json:"a"`
		B      int    `json:"b"`
		Out    int    `json:"out"`
		Known  bool   `json:"known"`
		Call   int64  `json:"call"`
		Return int64  `json:"return"`
	} `json:"ops"`
}

func casRegister(initial int) Model {
	return Model{
		Init: func() interface{} { return initial },
		Step: func(state, input, output interface{}) (bool, interface{}) {
			s := state.(int)
			in := input.(knossosIn)
			out := output.(knossosOut)
			switch in.F {
			case "read":
				return !out.Known || out.V == knossosNil || out.V == s, s
			case "write":
				return true, in.A
			default:
				if s == in.A {
					return true, in.B
				}
				return !out.Known, s
			}
		},
		Equal: func(a, b interface{}) bool { return a.(int) == b.(int) },
	}
}

func TestKnossosTiming(t *testing.T) {
	raw, err := os.ReadFile(os.Getenv("KNOSSOS_IN"))
	if err != nil {
		t.Fatal(err)
	}
	var files []knossosFile
	if err := json.Unmarshal(raw, &files); err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(os.Getenv("KNOSSOS_OUT"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	for _, f := range files {
		ops := make([]Operation, len(f.Ops))
		for i, o := range f.Ops {
			ops[i] = Operation{ClientId: o.Client, Input: knossosIn{o.F, o.A, o.B}, Call: o.Call, Output: knossosOut{o.Out, o.Known}, Return: o.Return}
		}
		model := casRegister(f.Initial)
		var ts []float64
		var r CheckResult
		for i := 0; i < 5; i++ {
			t0 := time.Now()
			r = CheckOperationsTimeout(model, ops, 120*time.Second)
			ts = append(ts, float64(time.Since(t0).Microseconds())/1000)
		}
		sort.Float64s(ts)
		fmt.Fprintf(out, "%s\tcas-register\t%.3f\t%v\n", f.File, ts[2], r)
	}
}

package raftkv.cli;

import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;
import raftkv.sim.SimulateTool;

/** The simulator parses its own options (raftkv simulate --help lists them). */
@Command(name = "simulate",
        description = {"Deterministic cluster simulation with fault injection; every history is checked.",
                "Exit status 0 only if every history is linearizable and every invariant held.",
                "Options: --seed S | --seeds N [--base B], --nodes N, --faults LIST, --ops N, --clients N, --out DIR (--help for all)."})
final class SimulateCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new java.util.ArrayList<>();

    @Override
    public Integer call() {
        return SimulateTool.runArgs(args.toArray(String[]::new), System.out, System.err);
    }
}

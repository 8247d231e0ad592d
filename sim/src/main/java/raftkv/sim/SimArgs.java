package raftkv.sim;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import raftkv.raft.DeliberateBug;

/** Command-line parsing for {@link SimulateTool}; bad input is an IllegalArgumentException that says why. */
final class SimArgs {
    static final String USAGE = """
            usage: raftkv simulate [options]
              --seed S            run one seed
              --seeds N           run N seeds (default 1) starting at --base (default 1)
              --base B            first seed of a campaign
              --nodes N           cluster size, 3-7 (default 5)
              --faults LIST       all, none, or a comma list of drops,delay,duplicates,partitions,crashes,corruption,pauses (default all)
              --ops N             client operations per seed (default 500)
              --clients N         concurrent clients (default: 5-20, chosen per seed)
              --out DIR           where a failing seed's trace and history go (default target/sim-failures)
              --bugs LIST         deliberate bugs to switch on (tests of the harness): skip_election_restriction,
                                  ack_before_commit, read_without_read_index, commit_previous_term_by_counting,
                                  promise_on_delivered_ticks
              --stop-at-first-failure
              --help""";

    private static final Set<String> VALUED =
            Set.of("--seed", "--seeds", "--base", "--nodes", "--faults", "--ops", "--clients", "--out", "--bugs");

    private SimArgs() {}

    /** The options, or null when help was asked for. */
    static SimOptions parse(String[] args) {
        SimOptions o = SimOptions.defaults();
        Long seed = null;
        Long base = null;
        Integer count = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) return null;
            if (a.equals("--stop-at-first-failure")) {
                o = o.stoppingAtFirstFailure(true);
                continue;
            }
            if (!VALUED.contains(a)) throw new IllegalArgumentException("unknown option " + a);
            if (i + 1 >= args.length) throw new IllegalArgumentException("option " + a + " needs a value");
            String v = args[++i];
            switch (a) {
                case "--seed" -> seed = number(a, v);
                case "--seeds" -> count = (int) number(a, v);
                case "--base" -> base = number(a, v);
                case "--nodes" -> o = o.withNodes((int) number(a, v));
                case "--faults" -> o = o.withFaults(Fault.parse(v));
                case "--ops" -> o = o.withOps((int) number(a, v));
                case "--clients" -> o = o.withClients((int) number(a, v));
                case "--out" -> o = o.withOutputDir(Path.of(v));
                case "--bugs" -> o = o.withBugs(bugs(v));
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (seed != null && (base != null || count != null)) {
            throw new IllegalArgumentException("--seed runs one seed; do not combine it with --seeds or --base");
        }
        if (seed != null) return o.withSeeds(seed, 1);
        return o.withSeeds(base == null ? 1 : base, count == null ? 1 : count);
    }

    private static long number(String option, String value) {
        try {
            long n = Long.parseLong(value.trim());
            if (!option.equals("--seed") && !option.equals("--base") && (n < 0 || n > Integer.MAX_VALUE)) {
                throw new IllegalArgumentException(option + " must be between 0 and " + Integer.MAX_VALUE + ", was " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, was '" + value + "'");
        }
    }

    private static Set<DeliberateBug> bugs(String text) {
        Set<DeliberateBug> out = EnumSet.noneOf(DeliberateBug.class);
        if (text.isBlank() || text.equalsIgnoreCase("none")) return out;
        for (String w : text.split(",")) {
            try {
                out.add(DeliberateBug.valueOf(w.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown bug '" + w.trim() + "'");
            }
        }
        return out;
    }

    /** The command line that runs exactly {@code seed} with these options. */
    static String commandFor(SimOptions o, long seed) {
        StringBuilder sb = new StringBuilder("simulate --seed " + seed + " --nodes " + o.nodes() + " --ops " + o.opsPerSeed());
        sb.append(" --faults ").append(o.faults().isEmpty() ? "none" : String.join(",",
                o.faults().stream().map(f -> f.name().toLowerCase(Locale.ROOT)).toList()));
        if (o.clients() > 0) sb.append(" --clients ").append(o.clients());
        if (!o.bugs().isEmpty()) {
            sb.append(" --bugs ").append(String.join(",", o.bugs().stream().map(b -> b.name().toLowerCase(Locale.ROOT)).toList()));
        }
        return sb.toString();
    }
}

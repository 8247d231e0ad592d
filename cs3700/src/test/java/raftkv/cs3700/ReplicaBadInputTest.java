package raftkv.cs3700;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Whatever the simulator socket delivers, the replica logs and drops what it cannot use, and runs on. */
class ReplicaBadInputTest {
    @Test
    void malformedUnknownAndForeignMessagesAreLoggedAndDropped() throws Exception {
        PrintStream realErr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            RecordingLink link = new RecordingLink();
            Replica r = new Replica("0000", List.of("0001", "0002"), link, ReplicaTuning.DEFAULT);
            r.start(System.currentTimeMillis());
            for (String bad : List.of(
                    "{not json",
                    "[1,2,3]",
                    "{\"src\":\"0001\",\"dst\":\"0000\",\"leader\":\"FFFF\",\"type\":\"gossip\"}",
                    "{\"src\":\"0001\",\"dst\":\"0000\",\"leader\":\"FFFF\",\"type\":\"append\",\"t\":1}",
                    "{\"src\":\"0001\",\"dst\":\"0000\",\"leader\":\"FFFF\",\"type\":\"put\",\"MID\":\"m1\"}",
                    "{\"src\":\"00AB\",\"dst\":\"0000\",\"leader\":\"FFFF\",\"type\":\"vote\",\"t\":99,\"li\":9,\"lt\":9}",
                    "{\"src\":\"zz\",\"dst\":\"0000\",\"leader\":\"FFFF\",\"type\":\"hb\",\"t\":1,\"c\":0,\"r\":0}",
                    "{\"src\":\"00AB\",\"dst\":\"0000\",\"leader\":\"FFFF\",\"type\":\"bundle\",\"via\":[],\"m\":[]}",
                    "{\"src\":\"0001\",\"dst\":\"0000\",\"leader\":\"FFFF\",\"type\":\"bundle\",\"via\":[\"0009\"],\"m\":[]}",
                    "{\"src\":\"0001\",\"dst\":\"0000\",\"leader\":\"FFFF\",\"type\":\"bundle\",\"via\":[]}",
                    "{\"src\":\"0001\",\"dst\":\"0000\",\"leader\":\"FFFF\",\"type\":\"bundle\",\"via\":[],\"fork\":[[]],\"m\":[]}",
                    "{\"src\":\"0001\",\"dst\":\"0000\",\"leader\":\"FFFF\",\"type\":\"bundle\",\"via\":[\"0002\"],\"fork\":[[\"0002\"]],\"m\":[]}",
                    "{\"src\":\"0001\",\"dst\":\"0000\",\"leader\":\"FFFF\",\"type\":\"bundle\",\"via\":[\"0000\",\"0002\"],\"m\":[]}",
                    "{\"src\":\"0001\",\"dst\":\"0000\",\"leader\":\"FFFF\",\"type\":\"bundle\",\"via\":[\"+002\"],\"m\":[]}",
                    "{\"src\":\"0001\",\"dst\":\"0000\",\"leader\":\"FFFF\",\"type\":\"bundle\",\"via\":[\"0002\"],\"m\":["
                            + "{\"src\":\"0001\",\"dst\":\"0002\",\"leader\":\"FFFF\",\"type\":\"gossip\",\"t\":1}]}",
                    "{\"src\":\"0001\",\"dst\":\"0000\",\"leader\":\"FFFF\",\"type\":\"bundle\",\"via\":[],\"m\":[7,"
                            + "{\"src\":\"0001\",\"dst\":\"0002\",\"leader\":\"FFFF\",\"type\":\"hbR\",\"t\":1,\"r\":0}]}")) {
                r.onRaw(bad);
            }
            CompletableFuture<Void> alive = new CompletableFuture<>();
            r.loop().execute(() -> alive.complete(null));
            alive.get(5, TimeUnit.SECONDS);
            String text = log.toString(StandardCharsets.UTF_8);
            assertThat(text).contains("unparsable").contains("unknown type 'gossip'")
                    .contains("missing number field").contains("missing string field 'key'")
                    .contains("not from a peer").contains("not a 4-hex-digit id")
                    .contains("bundle not from a peer").contains("bad 'fork': empty route").contains("bad 'fork': a star has no 'via'").contains("bad 'via' hop").contains("bundle without 'm' array")
                    .contains("bundled message dropped").contains("neither for us nor for a hop on its route")
                    .contains("bad 'via' hop \"0000\"").contains("not a 4-hex-digit id: +002")
                    .contains("unknown message type 'gossip'");
            assertThat(link.sent).as("no garbage carried on to a peer").noneMatch(m -> m.contains("gossip"));
            assertThat(link.sent).as("nothing answered, no vote granted to a stranger")
                    .noneMatch(m -> m.contains("\"voteR\""));
        } finally {
            System.setErr(realErr);
        }
    }
}

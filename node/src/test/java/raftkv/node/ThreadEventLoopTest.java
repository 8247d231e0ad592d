package raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadEventLoopTest {
    @Test
    void aClosedLoopDropsNewTasksInsteadOfThrowing() throws Exception {
        ThreadEventLoop loop = new ThreadEventLoop("test");
        CountDownLatch ran = new CountDownLatch(1);
        loop.execute(ran::countDown);
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        loop.close();
        // Before, the executor's RejectedExecutionException escaped to whoever handed in the task
        // (a replica's receive thread, say) and took it down.
        assertThatCode(() -> {
            loop.execute(() -> { });
            loop.schedule(0, () -> { }).cancel();
        }).doesNotThrowAnyException();
    }
}

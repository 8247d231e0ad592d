package raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ThreadEventLoopTest {
    @Test
    void aClosedLoopDropsNewTasksInsteadOfThrowing() throws Exception {
        ThreadEventLoop loop = new ThreadEventLoop("test");
        CountDownLatch ran = new CountDownLatch(1);
        loop.execute(ran::countDown);
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        loop.close();
        AtomicBoolean late = new AtomicBoolean();
        assertThatCode(() -> {
            loop.execute(() -> late.set(true));
            loop.schedule(0, () -> late.set(true)).cancel();
        }).doesNotThrowAnyException();
        Thread.sleep(50);
        assertThat(late).isFalse();
    }
}

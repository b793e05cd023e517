package io.fluxrig.mixer.store;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueWatcher;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one way the Mixer keeps an in-memory view of a KV bucket (the rack registry's view, the
 * index of unfinished commands): a watch of every key that hands each entry to the view, and a
 * start that returns once the bucket's content present at the start has arrived.
 *
 * <p>Threading: {@code onEntry} runs on the watch's dispatcher thread (one at a time, in revision
 * order); the caller owns the returned watch and closes it.
 */
public final class BucketWatch {
    private static final long LOAD_SECONDS = 60;

    private BucketWatch() {
    }

    /**
     * Starts the watch and waits until the bucket's content has arrived (blocking: called from the
     * Mixer's start, never from an activation).
     *
     * @param kv the bucket
     * @param what names the bucket in messages ("the rack registry")
     * @param onEntry receives every entry: puts, deletes and purges, each with its revision
     * @return the running watch; close it to stop
     * @throws IOException when the watch cannot start or the content does not arrive in 60 s
     */
    public static AutoCloseable start(KeyValue kv, String what, Consumer<KeyValueEntry> onEntry) throws IOException {
        CountDownLatch loaded = new CountDownLatch(1);
        try {
            AutoCloseable watch = kv.watchAll(new KeyValueWatcher() {
                @Override
                public void watch(KeyValueEntry e) {
                    onEntry.accept(e);
                }

                @Override
                public void endOfData() {
                    loaded.countDown();
                }
            });
            if (!loaded.await(LOAD_SECONDS, TimeUnit.SECONDS)) {
                try {
                    watch.close();
                } catch (Exception e) {
                    // the load failed already: that is the error to report
                }
                throw new IOException(what + " did not load from NATS within " + LOAD_SECONDS + " s");
            }
            return watch;
        } catch (JetStreamApiException e) {
            throw new IOException("watching " + what + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while loading " + what, e);
        }
    }
}

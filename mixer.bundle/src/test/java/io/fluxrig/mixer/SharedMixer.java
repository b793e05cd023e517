package io.fluxrig.mixer;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link MixerFixture} (a real nats-server and Mixer) shared by every test of a class, the set-up
 * the Mixer tests had each written out: register it and declare the field it fills,
 * <pre>
 * &#64;RegisterExtension
 * static final SharedMixer MIXER = new SharedMixer();   // or new SharedMixer(dir -&gt; new MixerFixture(dir, CAP))
 * static MixerFixture f;
 * </pre>
 * Before the class's first test it starts the fixture in a fresh temporary folder and sets the
 * class's static {@code MixerFixture} fields; after its last it closes the fixture and deletes the
 * folder. Owns nothing between classes.
 */
final class SharedMixer implements BeforeAllCallback, AfterAllCallback {
    /** Makes the fixture in a folder. */
    interface Factory {
        MixerFixture start(Path dir) throws Exception;
    }

    private final Factory factory;
    private Path dir;
    private MixerFixture fixture;

    /** The default fixture ({@link MixerFixture#MixerFixture(Path)}). */
    SharedMixer() {
        this(MixerFixture::new);
    }

    SharedMixer(Factory factory) {
        this.factory = factory;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("fluxrig-mixer-test-");
        fixture = factory.start(dir);
        for (Field field : context.getRequiredTestClass().getDeclaredFields()) {
            if (field.getType() == MixerFixture.class && Modifier.isStatic(field.getModifiers())) {
                field.setAccessible(true);
                field.set(null, fixture);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (fixture != null) {
                fixture.close();
            }
        } finally {
            if (dir != null) {
                try (Stream<Path> all = Files.walk(dir)) {
                    all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}

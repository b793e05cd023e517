package io.fluxrig.console.guard;

import io.fluxrig.console.credentials.ConsoleCredentialsFile;
import io.fluxrig.console.credentials.ConsolePasswordHash;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Objects;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the console's credential file to ConfigAdmin, and makes credentials when there are none.
 *
 * <p>On its own thread after activation (PBKDF2 and file I/O stay out of {@code @Activate}): reads
 * {@code io.fluxrig.console.cfg} from the {@link ConsoleHome etc folder}. When it holds no valid
 * password hash (a jar started by hand, a first start without a password), a random password is
 * generated, written to {@code console.password} (0600) beside it, and its hash to the file; only
 * the password file's path is logged. Then the user and hash become configuration
 * {@value ConsoleCredentialsFile#PID}, unless it already holds the same (FileInstall or an
 * earlier start put it there). When the folder cannot be written, nothing is configured and
 * the Web Console is not served ({@link ConsoleSecurityProvider}). The file is read once per
 * start: a later change takes effect at the next start.
 */
@Component(immediate = true, service = {})
public final class CredentialsBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialsBootstrap.class);
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int GENERATED_LENGTH = 24;

    private final ConfigurationAdmin configs;
    private final Path etc;
    private final Thread worker;

    @Activate
    public CredentialsBootstrap(@Reference ConfigurationAdmin configs, BundleContext context) {
        this.configs = configs;
        this.etc = ConsoleHome.etc(context::getProperty);
        this.worker = new Thread(this::prepare, "fluxrig-console-credentials");
        worker.setDaemon(true);
        worker.start();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        worker.interrupt();
        worker.join(10_000);
    }

    private void prepare() {
        try {
            ConsoleCredentialsFile.Stored stored = ConsoleCredentialsFile.read(etc);
            String user = stored == null ? ConsoleCredentialsFile.DEFAULT_USER : stored.user();
            String hash = stored == null ? null : stored.passwordHash();
            String invalid = ConsolePasswordHash.invalid(hash);
            if (invalid != null) {
                if (hash != null) {
                    LOG.warn("Web Console: {} {}: {}; a new password is generated", etc.resolve(ConsoleCredentialsFile.FILE),
                            ConsoleCredentialsFile.PASSWORD_HASH, invalid);
                }
                hash = generate(user);
            }
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            configure(user, hash);
        } catch (IOException | RuntimeException e) {
            LOG.error("Web Console not served: its credentials in {} could not be prepared: {}", etc, e.toString());
        }
    }

    private String generate(String user) throws IOException {
        SecureRandom random = new SecureRandom();
        char[] password = new char[GENERATED_LENGTH];
        for (int i = 0; i < password.length; i++) {
            password[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        try {
            String hash = ConsolePasswordHash.hash(password, random);
            Path file = ConsoleCredentialsFile.writePrivate(etc, ConsoleCredentialsFile.GENERATED_PASSWORD, new String(password) + "\n");
            ConsoleCredentialsFile.write(etc, user, hash);
            LOG.warn("Web Console: no password was configured; user '{}' got a generated password, in {} (mode 0600)", user, file.toAbsolutePath());
            return hash;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private void configure(String user, String hash) throws IOException {
        Configuration c = configs.getConfiguration(ConsoleCredentialsFile.PID, "?");
        Dictionary<String, Object> current = c.getProperties();
        if (current != null && user.equals(current.get(ConsoleCredentialsFile.USER))
                && Objects.equals(hash, current.get(ConsoleCredentialsFile.PASSWORD_HASH))) {
            return;
        }
        Dictionary<String, Object> next = new Hashtable<>();
        if (current != null) {
            for (String k : java.util.Collections.list(current.keys())) {
                next.put(k, current.get(k));
            }
        }
        next.put(ConsoleCredentialsFile.USER, user);
        next.put(ConsoleCredentialsFile.PASSWORD_HASH, hash);
        c.update(next);
    }
}

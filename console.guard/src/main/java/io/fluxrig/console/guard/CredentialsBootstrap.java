package io.fluxrig.console.guard;

import io.fluxrig.console.credentials.ConsoleCredentialsFile;
import io.fluxrig.console.credentials.ConsolePasswordHash;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes credentials when the console has none. The credentials reach the console one way only:
 * FileInstall reads {@code io.fluxrig.console.cfg} from the {@link ConsoleHome etc folder} (which
 * every run descriptor has FileInstall watch) into configuration {@value ConsoleCredentialsFile#PID};
 * this component only writes that file when the configuration holds no valid password hash.
 *
 * <p>Activated with that configuration (policy optional; DS activates it again whenever
 * FileInstall delivers a change). With a valid hash it does nothing. Without a configuration
 * while the file exists, it waits for FileInstall to deliver it. Otherwise (no file; or a file
 * whose hash is missing or invalid) its own thread (PBKDF2 and file I/O stay out of
 * {@code @Activate}) generates a random password, writes it to {@code console.password} (0600)
 * beside the file and its hash into the file, and logs only the password file's path; FileInstall
 * then delivers the file and the console is served ({@link ConsoleSecurityProvider}). When the
 * folder cannot be written, nothing is configured and the Web Console is not served.
 */
@Component(immediate = true, service = {}, configurationPid = ConsoleCredentialsFile.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class CredentialsBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialsBootstrap.class);
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int GENERATED_LENGTH = 24;

    private final Path etc;
    private final Thread worker;

    /**
     * @param context for the etc folder (framework properties)
     * @param config the configuration FileInstall delivered, or only the component's properties
     */
    @Activate
    public CredentialsBootstrap(BundleContext context, Map<String, Object> config) {
        this.etc = ConsoleHome.etc(context::getProperty);
        Need need = need(config, Files.exists(etc.resolve(ConsoleCredentialsFile.FILE)));
        if (need == Need.GENERATE) {
            Object user = config.get(ConsoleCredentialsFile.USER);
            Object hash = config.get(ConsoleCredentialsFile.PASSWORD_HASH);
            String name = user instanceof String u && !u.isBlank() ? u : ConsoleCredentialsFile.DEFAULT_USER;
            this.worker = new Thread(() -> generate(name, hash), "fluxrig-console-credentials");
            worker.setDaemon(true);
            worker.start();
        } else {
            this.worker = null;
        }
    }

    /** What the console's configuration asks of this component. */
    enum Need {
        /** a valid hash is configured */
        NOTHING,
        /** the file exists and FileInstall has not delivered it yet */
        WAIT_FOR_FILE,
        /** no file, or a configuration without a valid hash: generate a password */
        GENERATE
    }

    /**
     * @param config the component's properties (with {@code service.pid} once a configuration exists)
     * @param fileExists whether the etc folder holds the credential file
     */
    static Need need(Map<String, ?> config, boolean fileExists) {
        Object hash = config.get(ConsoleCredentialsFile.PASSWORD_HASH);
        if (ConsolePasswordHash.invalid(hash instanceof String h ? h : null) == null) {
            return Need.NOTHING;
        }
        boolean configured = config.containsKey(Constants.SERVICE_PID);
        return !configured && fileExists ? Need.WAIT_FOR_FILE : Need.GENERATE;
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (worker != null) {
            worker.interrupt();
            worker.join(10_000);
        }
    }

    private void generate(String user, Object badHash) {
        try {
            if (badHash != null) {
                LOG.warn("Web Console: {} {}: {}; a new password is generated", etc.resolve(ConsoleCredentialsFile.FILE),
                        ConsoleCredentialsFile.PASSWORD_HASH, ConsolePasswordHash.invalid(String.valueOf(badHash)));
            }
            generate(user);
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
}

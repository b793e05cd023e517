package io.fluxrig.console.guard;

import io.fluxrig.console.credentials.ConsoleCredentialsFile;
import io.fluxrig.console.credentials.ConsolePasswordHash;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes credentials when the console has none. The credentials reach the console one way only:
 * FileInstall reads {@code io.fluxrig.console.cfg} from the {@link ConsoleHome etc folder} (which
 * every run descriptor has FileInstall watch) into configuration {@value ConsoleCredentialsFile#PID};
 * this component only writes that file when the configuration holds no valid password hash.
 *
 * <p>FileInstall watches the folders its framework property names; when the etc folder is not one
 * of them (a data folder given as {@code fluxrig.rack.data}), this component adds one FileInstall
 * configuration that watches the etc folder for the credential file only.
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

    /** FileInstall's factory PID: one configuration per further folder it watches. */
    static final String FILEINSTALL_FACTORY = "org.apache.felix.fileinstall";
    private static final String FILEINSTALL_DIR = "felix.fileinstall.dir";

    private final Path etc;
    private final ConfigurationAdmin configs;
    private final String watchedDirs;
    private final Thread worker;

    /**
     * @param context for the etc folder and FileInstall's folders (framework properties)
     * @param configs to have FileInstall watch the etc folder when its framework properties do not
     * @param config the configuration FileInstall delivered, or only the component's properties
     */
    @Activate
    public CredentialsBootstrap(BundleContext context, @Reference ConfigurationAdmin configs, Map<String, Object> config) {
        this.etc = ConsoleHome.etc(context::getProperty).toAbsolutePath().normalize();
        this.configs = configs;
        this.watchedDirs = context.getProperty(FILEINSTALL_DIR);
        Need need = need(config, Files.exists(etc.resolve(ConsoleCredentialsFile.FILE)));
        Object user = config.get(ConsoleCredentialsFile.USER);
        Object hash = config.get(ConsoleCredentialsFile.PASSWORD_HASH);
        String name = user instanceof String u && !u.isBlank() ? u : ConsoleCredentialsFile.DEFAULT_USER;
        this.worker = new Thread(() -> prepare(need, name, hash), "fluxrig-console-credentials");
        worker.setDaemon(true);
        worker.start();
    }

    /** @return whether FileInstall's framework property names the folder (relative entries against the working directory) */
    static boolean watched(String fileInstallDirs, Path folder) {
        if (fileInstallDirs == null) {
            return false;
        }
        for (String d : fileInstallDirs.split(",")) {
            String dir = d.strip().replace("\"", "");
            if (!dir.isEmpty() && Path.of(dir).toAbsolutePath().normalize().equals(folder)) {
                return true;
            }
        }
        return false;
    }

    private void prepare(Need need, String user, Object hash) {
        try {
            if (!watched(watchedDirs, etc)) {
                watchEtc();
            }
        } catch (IOException | RuntimeException | org.osgi.framework.InvalidSyntaxException e) {
            LOG.error("Web Console not served: FileInstall cannot be set to watch {}: {}", etc, e.toString());
            return;
        }
        if (need == Need.GENERATE && !Thread.currentThread().isInterrupted()) {
            generate(user, hash);
        }
    }

    /**
     * A rack or Mixer whose data folder is not its working directory (framework property
     * {@code fluxrig.rack.data}, a jar started by hand) keeps the file in a folder FileInstall's
     * framework property does not name: one FileInstall configuration then watches that folder
     * for this file only, so the file still reaches ConfigAdmin the one way.
     */
    private void watchEtc() throws IOException, org.osgi.framework.InvalidSyntaxException {
        String dir = etc.toString();
        Configuration[] existing = configs.listConfigurations("(&(service.factoryPid=" + FILEINSTALL_FACTORY + ")("
                + FILEINSTALL_DIR + "=" + dir.replace("\\", "\\5c").replace("(", "\\28").replace(")", "\\29").replace("*", "\\2a") + "))");
        if (existing != null && existing.length > 0) {
            return;
        }
        Files.createDirectories(etc);
        Dictionary<String, Object> watch = new Hashtable<>();
        watch.put(FILEINSTALL_DIR, dir);
        watch.put("felix.fileinstall.filter", java.util.regex.Pattern.quote(ConsoleCredentialsFile.FILE));
        watch.put("felix.fileinstall.noInitialDelay", "true");
        watch.put("felix.fileinstall.poll", "1000");
        watch.put("felix.fileinstall.enableConfigSave", "false");
        configs.createFactoryConfiguration(FILEINSTALL_FACTORY, "?").update(watch);
        LOG.info("Web Console: FileInstall watches {} for {}", dir, ConsoleCredentialsFile.FILE);
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
        worker.interrupt();
        worker.join(10_000);
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

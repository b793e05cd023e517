package io.fluxrig.console.guard;

import io.fluxrig.console.credentials.ConsoleCredentialsFile;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration {@value io.fluxrig.console.credentials.ConsoleCredentialsFile#PID}: who may use
 * the Web Console, and which other origins may send it state-changing requests. Read from the
 * 0600 file {@code <data>/etc/io.fluxrig.console.cfg} by FileInstall ({@link CredentialsBootstrap} writes it when
 * it holds no valid hash).
 */
@ObjectClassDefinition(id = ConsoleCredentialsFile.PID, name = "fluxrig Web Console security",
        description = "The Web Console's user, its PBKDF2 password hash, and the origins allowed to send it "
                + "state-changing requests. Kept in <data>/etc/io.fluxrig.console.cfg (mode 0600).")
@interface ConsoleConfig {
    @AttributeDefinition(name = "User", description = "The console user.")
    String user() default ConsoleCredentialsFile.DEFAULT_USER;

    @AttributeDefinition(name = "Password hash", type = AttributeType.PASSWORD,
            description = "pbkdf2-sha256$ITERATIONS$SALT$KEY with at least 600000 iterations "
                    + "(written by 'run/fluxrig console-credentials'). Without it the console is not served.")
    String password_hash();

    @AttributeDefinition(name = "Other allowed origins", required = false,
            description = "Origins (scheme://host:port) besides the console's own that may send POST, PUT, PATCH or "
                    + "DELETE requests, e.g. the address of a reverse proxy in front of the console.")
    String[] allowed_origins() default {};

    @AttributeDefinition(name = "Allow requests without Origin and Referer",
            description = "Accept state-changing requests that carry neither an Origin nor a Referer header (scripts "
                    + "such as curl). Browsers always send one of them; off by default.")
    boolean allow_missing_origin() default false;
}

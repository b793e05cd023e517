package io.fluxrig.nats.trust.jnats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** What each kind of refused connect is said as (the real refusals: test.support NatsServerTest, against nats-server). */
class ConnectErrorsTest {

    @Test
    void eachRefusalIsSaidForWhatItIs() {
        assertTrue(ConnectErrors.reason(new IOException("SSL required by server.")).startsWith("the server requires TLS but this client"));
        assertTrue(ConnectErrors.reason(new IOException("SSL connection wanted by client."))
                .startsWith("this client requires TLS (a NATS CA file is set) but the server does not offer it"));
        SSLHandshakeException pkix = new SSLHandshakeException("PKIX path building failed");
        pkix.initCause(new CertPathBuilderException("unable to find valid certification path to requested target"));
        assertTrue(ConnectErrors.reason(pkix).startsWith("the server's TLS certificate is not signed by the CA this client trusts"));
        SSLHandshakeException name = new SSLHandshakeException("handshake");
        name.initCause(new CertificateException("the server's certificate has no subject alternative name for the dialled host x"));
        assertEquals("the server's TLS certificate does not fit: the server's certificate has no subject alternative name for the "
                + "dialled host x", ConnectErrors.reason(name));
        assertEquals("the server refused the credentials (Authorization Violation)",
                ConnectErrors.reason(new IOException("Authorization Violation")));
        assertTrue(ConnectErrors.reason(new ConnectException("Connection refused")).startsWith("nothing listens there"));
    }

    @Test
    void theListenersLastErrorExplainsTheFailureNamingTheUrls() {
        ConnectErrors errors = new ConnectErrors();
        IOException jnats = new IOException("Unable to connect to NATS servers: [nats://h:1]");
        assertEquals("NATS nats://h:1,nats://h:2: Unable to connect to NATS servers: [nats://h:1]",
                errors.explain(List.of("nats://h:1", "nats://h:2"), jnats).getMessage(), "nothing heard: the failure's own words");
        errors.exceptionOccurred(null, new IOException("SSL required by server."));
        assertTrue(errors.explain(List.of("nats://h:1"), jnats).getMessage().startsWith("NATS nats://h:1: the server requires TLS"));
        errors.reset();
        errors.errorOccurred(null, "Authorization Violation");
        assertEquals("NATS nats://h:1: the server refused the credentials (Authorization Violation)",
                errors.explain(List.of("nats://h:1"), jnats).getMessage());
    }
}

package notification.smtp;

import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;

/** The Jakarta Mail session properties for one SMTP server: timeouts, TLS, authentication. */
final class SmtpSessionProperties {

    private SmtpSessionProperties() {
    }

    /**
     * Builds the properties.
     *
     * @param s the server
     * @param watchdog bounds the writes of plain and STARTTLS connections (their plain socket comes from it)
     * @param writeTimeoutExecutor runs Angus Mail's write timeouts for implicit TLS, whose socket Angus Mail creates
     * @return the properties; values other than strings are objects Angus Mail expects (socket factory, executor)
     */
    static Properties of(SmtpServer s, WriteWatchdog watchdog, ScheduledExecutorService writeTimeoutExecutor) {
        String p = s.security == SmtpSecurity.TLS ? "mail.smtps" : "mail.smtp";
        Properties props = new Properties();
        props.setProperty(p + ".host", s.host);
        props.setProperty(p + ".port", Integer.toString(s.port));
        props.setProperty(p + ".connectiontimeout", Integer.toString(s.connectTimeoutMs));
        props.setProperty(p + ".timeout", Integer.toString(s.readTimeoutMs));
        if (s.security == SmtpSecurity.TLS) {
            // Angus Mail schedules and cancels a timer task per write here; its TLS costs more than that anyway
            props.setProperty(p + ".writetimeout", Integer.toString(s.writeTimeoutMs));
            props.put(p + ".executor.writetimeout", writeTimeoutExecutor);
        } else {
            // one periodic check instead of a timer task per write; STARTTLS layers TLS over this socket
            props.put(p + ".socketFactory", watchdog);
            props.setProperty(p + ".socketFactory.fallback", "false");
        }
        props.setProperty(p + ".quitwait", "false");
        SmtpAuthentication.Method method = s.authentication.method();
        props.setProperty(p + ".auth", Boolean.toString(method != SmtpAuthentication.Method.NONE));
        if (method == SmtpAuthentication.Method.XOAUTH2) {
            props.setProperty(p + ".auth.mechanisms", "XOAUTH2");
            props.setProperty(p + ".auth.xoauth2.disable", "false");
        } else if (method == SmtpAuthentication.Method.PASSWORD) {
            // PLAIN takes one round trip, LOGIN three; LOGIN stays for servers that offer nothing else
            props.setProperty(p + ".auth.mechanisms", "PLAIN LOGIN");
        }
        if (s.security != SmtpSecurity.NONE) {
            props.setProperty(p + ".ssl.protocols", s.tlsProtocols);
            props.setProperty(p + ".ssl.checkserveridentity", "true");
            if (s.socketFactory != null) {
                props.put(p + ".ssl.socketFactory", s.socketFactory);
            }
        }
        if (s.security == SmtpSecurity.STARTTLS) {
            props.setProperty(p + ".starttls.enable", "true");
            props.setProperty(p + ".starttls.required", "true");
        }
        if (s.security == SmtpSecurity.TLS) {
            props.setProperty(p + ".ssl.enable", "true");
        }
        return props;
    }
}

package notification.oauth.internal;

import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.RecipientResult;
import notification.api.transport.DeliveryResult.Status;
import notification.api.transport.OutgoingMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Submits messages to smtp.gmail.com: STARTTLS required, TLS 1.2+, AUTH XOAUTH2 with the mailbox's access token,
 * bounded timeouts; replies explained by {@link GoogleDiagnostics}. A refused token (535 5.7.8) is tried once more
 * with a fresh one, then holds mail while the administrator fixes the set-up; 550 5.4.5 holds it for the day.
 */
final class GmailSmtp implements MessageSender {

    private final GoogleSettings settings;
    private final GoogleAccessTokens tokens;
    private final HealthTracker health;

    private GmailSmtp(GoogleSettings settings, GoogleAccessTokens tokens, HealthTracker health) {
        this.settings = settings;
        this.tokens = tokens;
        this.health = health;
    }

    static MessageSender sender(GoogleSettings settings, GoogleAccessTokens tokens, HealthTracker health) {
        return new GmailSmtp(settings, tokens, health);
    }

    @Override
    public DeliveryResult send(OutgoingMessage message) {
        SMTPTransport transport = null;
        try {
            transport = connect();
            SMTPTransport open = transport;
            String reply = SmtpConnection.withMailClassLoader(() -> {
                Address[] to = new Address[message.recipients().size()];
                for (int i = 0; i < to.length; i++) {
                    to[i] = new InternetAddress(message.recipients().get(i), false);
                }
                open.sendMessage(message.toMimeMessage(Session.getInstance(new Properties())), to);
                return open.getLastServerResponse();
            });
            health.delivered();
            return DeliveryResult.sent(reply);
        } catch (TokenUnavailableException e) {
            return DeliveryResult.unavailable(e.getMessage());
        } catch (AuthenticationFailedException e) {
            String explained = GoogleDiagnostics.smtpReply(e.getMessage());
            health.refused(explained);
            return DeliveryResult.unavailable(explained);
        } catch (MessagingException e) {
            return failure(e);
        } finally {
            close(transport);
        }
    }

    private SMTPTransport connect() throws TokenUnavailableException, MessagingException {
        try {
            return connect(tokens.get(false));
        } catch (AuthenticationFailedException e) {
            // The token may have been revoked since it was issued: one more try with a fresh one.
            return connect(tokens.get(true));
        }
    }

    private SMTPTransport connect(AccessToken token) throws MessagingException {
        Properties p = new Properties();
        p.put("mail.smtp.host", settings.smtpHost);
        p.put("mail.smtp.port", String.valueOf(settings.smtpPort));
        p.put("mail.smtp.from", settings.username);
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.auth.mechanisms", "XOAUTH2");
        p.put("mail.smtp.auth.xoauth2.disable", "false");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.ssl.protocols", "TLSv1.2 TLSv1.3");
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        p.put("mail.smtp.sendpartial", "true");
        p.put("mail.smtp.connectiontimeout", String.valueOf(settings.connectTimeout.toMillis()));
        p.put("mail.smtp.timeout", String.valueOf(settings.readTimeout.toMillis()));
        p.put("mail.smtp.writetimeout", String.valueOf(settings.readTimeout.toMillis()));
        if (settings.tls != null) {
            p.put("mail.smtp.ssl.socketFactory", settings.tls.getSocketFactory());
        }
        return SmtpConnection.withMailClassLoader(() -> {
            Session session = Session.getInstance(p);
            SMTPTransport transport = new SMTPTransport(session, new URLName("smtp", settings.smtpHost,
                    settings.smtpPort, null, settings.username, null));
            transport.connect(settings.smtpHost, settings.smtpPort, settings.username, token.value());
            return transport;
        });
    }

    private DeliveryResult failure(MessagingException e) {
        if (e instanceof SendFailedException sent) {
            List<RecipientResult> results = new ArrayList<>();
            for (Address a : sent.getValidSentAddresses() == null ? new Address[0] : sent.getValidSentAddresses()) {
                results.add(new RecipientResult(a.toString(), Status.SENT, null));
            }
            for (Exception next = sent.getNextException(); next instanceof MessagingException m;
                    next = m.getNextException()) {
                if (next instanceof SMTPAddressFailedException af) {
                    results.add(new RecipientResult(af.getAddress().getAddress(), af.getReturnCode() >= 500
                            ? Status.PERMANENT : Status.TRANSIENT, GoogleDiagnostics.smtpReply(af.getMessage())));
                }
            }
            boolean messageLevel = e instanceof SMTPSendFailedException
                    && results.stream().noneMatch(r -> r.status() == Status.SENT);
            if (!results.isEmpty() && !messageLevel) {
                return DeliveryResult.perRecipient(results, GoogleDiagnostics.smtpReply(e.getMessage()));
            }
            if (e instanceof SMTPSendFailedException sf) {
                return forReply(sf.getReturnCode() + " " + Diagnostics.firstLine(sf.getMessage())
                        .replaceFirst("^\\d{3}[ -]", ""));
            }
        }
        String problem = "The connection to " + settings.smtpHost + " failed: " + Diagnostics.firstLine(e.getMessage());
        health.failing(problem);
        return DeliveryResult.transientFailure(problem);
    }

    private DeliveryResult forReply(String reply) {
        String explained = GoogleDiagnostics.smtpReply(reply);
        int code = SmtpOutcomes.code(reply);
        if (GoogleDiagnostics.isDailyLimit(reply)) {
            return DeliveryResult.unavailable(health.quotaExceeded(explained));
        }
        health.failed(explained);
        return code >= 500 ? DeliveryResult.permanentFailure(explained) : DeliveryResult.transientFailure(explained);
    }

    @Override
    public String check() {
        SMTPTransport transport = null;
        try {
            transport = connect();
            return null;
        } catch (TokenUnavailableException e) {
            return e.getMessage();
        } catch (MessagingException e) {
            return GoogleDiagnostics.smtpReply(e.getMessage());
        } finally {
            close(transport);
        }
    }

    @Override
    public void close() {
        // one connection per message: nothing kept open
    }

    private static void close(SMTPTransport transport) {
        if (transport != null) {
            try {
                SmtpConnection.withMailClassLoader(() -> {
                    transport.close();
                    return null;
                });
            } catch (MessagingException e) {
                // the server may already have hung up
            }
        }
    }
}

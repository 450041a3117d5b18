package notification.oauth.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import notification.api.Person;
import notification.api.transport.DeliveryResult;
import notification.api.transport.MailTransport;
import notification.api.transport.OutgoingMessage;
import notification.api.transport.SendingBudget;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportLimits;

/**
 * A Microsoft 365 sending mailbox as a {@link MailTransport}: SMTP with XOAUTH2 or Graph sendMail, tokens from an
 * encrypted MSAL4J cache under {@code <data dir>/tokens/<name>/} or in the database all nodes share. While it needs
 * authorization, messages are not attempted ({@link DeliveryResult.Status#UNAVAILABLE}) so they wait or fail over;
 * none is dropped. The same holds for a while after Exchange or Graph refused the set-up (SMTP AUTH disabled, token
 * or permission refused), and while the mailbox's {@link SendingBudget} (shared by every node sending as it) has no
 * connection or start to spare.
 */
final class MicrosoftMailTransport implements MailTransport, AutoCloseable {

    private final String name;
    private final MicrosoftSettings settings;
    private final RecipientBudget budget;
    private final HealthTracker health;
    private final SignInWatch watch;
    private final EncryptedTokenCache cache;
    private final AuthorizationFile authorizations;
    private final AccessTokens tokens;
    private final MessageSender sender;
    private final MicrosoftAuthorization authorization;

    MicrosoftMailTransport(String name, MicrosoftSettings settings, Path tokenDirectory, Clock clock) {
        this(name, settings, tokenDirectory, new TokenFolder(tokenDirectory), clock);
    }

    /**
     * Creates the transport.
     *
     * @param tokenDirectory this node's token folder (begun sign-ins, the last sign-in error)
     * @param entries where the sign-in is kept: that folder, or the database all nodes share
     */
    MicrosoftMailTransport(String name, MicrosoftSettings settings, Path tokenDirectory, TokenEntries entries,
            Clock clock) {
        this(name, settings, tokenDirectory, entries, clock, () -> null);
    }

    /**
     * Creates the transport, asking a sending budget before each connection and message.
     *
     * @param tokenDirectory this node's token folder (begun sign-ins, the last sign-in error)
     * @param entries where the sign-in is kept: that folder, or the database all nodes share
     * @param sendingBudget the sending budget service as bound right now (a supplier of {@code null} without one)
     */
    MicrosoftMailTransport(String name, MicrosoftSettings settings, Path tokenDirectory, TokenEntries entries,
            Clock clock, Supplier<SendingBudget> sendingBudget) {
        this.name = name;
        this.settings = settings;
        this.budget = new RecipientBudget(settings.limits.recipientsPerDay(), clock);
        this.health = new HealthTracker(settings.username, clock, budget, new AuthorizationErrorFile(tokenDirectory),
                settings.secretExpires);
        this.watch = new SignInWatch(entries);
        this.cache = new EncryptedTokenCache(entries);
        this.authorizations = new AuthorizationFile(entries, TokenBinding.of(settings));
        MsalTokens msal = settings.complete() ? new MsalTokens(settings, cache) : null;
        this.tokens = new AccessTokens(msal, authorizations, cache, entries, health, settings, clock);
        this.sender = !settings.complete() ? null : settings.protocol == MicrosoftSettings.Protocol.GRAPH
                ? new GraphSender(settings, tokens, health, clock, new MailboxBudget(sendingBudget, settings.username,
                        "graph", settings.limits))
                : new SmtpSender(settings, tokens, health, new MailboxBudget(sendingBudget, settings.username, "smtp",
                        settings.limits));
        // begun sign-ins stay in the node's folder, sealed with the folder's key (one instance of it per folder)
        TokenKey folderKey = entries.shared() ? new TokenKey(tokenDirectory) : entries.key();
        PendingAuthorizations pending = new PendingAuthorizations(new PendingFile(tokenDirectory, folderKey), clock);
        this.authorization = new MicrosoftAuthorization(name, settings, pending, msal, cache, entries, authorizations,
                health, tokens, clock);
        health.keptIn(entries);
        initialHealth();
        watch.changed();
    }

    private void initialHealth() {
        if (!settings.complete()) {
            health.notConfigured(settings.problems);
        } else if (settings.appOnly) {
            health.ready("Ready (app-only: no sign-in needed).");
        } else {
            try {
                Optional<String> rebound = authorizations.bindingProblem();
                Optional<AuthorizationFile.StoredAuthorization> stored = authorizations.load();
                Optional<String> cached = cache.read();
                if (rebound.isPresent()) {
                    health.authorizationRequired(rebound.get());
                } else if (stored.isEmpty()) {
                    health.authorizationRequired(HealthTracker.NOT_AUTHORIZED_YET);
                } else if (cache.problem().isPresent() || cached.isEmpty()) {
                    health.authorizationRequired(cache.problem().orElse("The stored sign-in is missing."));
                } else {
                    health.authorized(stored.get().record());
                }
            } catch (IOException e) {
                health.failing(e.getMessage());
            }
        }
    }

    /** While waiting for authorization: takes up a sign-in another node stored meanwhile. */
    private void noticeSignInElsewhere() {
        if (health.state() == TransportHealth.State.AUTHORIZATION_REQUIRED && watch.changed()) {
            tokens.forget();
            initialHealth();
            checkInBackground();
        }
    }

    /** @return the transport's name */
    String name() {
        return name;
    }

    /** @return the sign-in service of this transport (meaningful in delegated mode) */
    MicrosoftAuthorization authorization() {
        return authorization;
    }

    @Override
    public Person sender() {
        return Person.of(settings.username);
    }

    @Override
    public DeliveryResult deliver(OutgoingMessage message) {
        noticeSignInElsewhere();
        TransportHealth now = health.health();
        if (sender == null) {
            return DeliveryResult.unavailable(now.message());
        }
        if (now.state() == TransportHealth.State.AUTHORIZATION_REQUIRED) {
            return DeliveryResult.unavailable(now.message());
        }
        Optional<String> held = health.held();
        if (held.isPresent()) {
            // Exchange or Graph refused the set-up a moment ago: do not ask again before the hold ends.
            return DeliveryResult.unavailable(held.get());
        }
        long max = settings.limits.maxMessageSize();
        if (max > 0 && message.size() > max) {
            return DeliveryResult.permanentFailure("The message is " + message.size() + " bytes; this mailbox "
                    + "accepts at most " + max + " bytes.");
        }
        DeliveryResult result = sender.send(message);
        budget.record(acceptedRecipients(result, message));
        return result;
    }

    private static int acceptedRecipients(DeliveryResult result, OutgoingMessage message) {
        return (int) message.recipients().stream().filter(r -> result.statusOf(r) == DeliveryResult.Status.SENT)
                .count();
    }

    @Override
    public TransportHealth health() {
        noticeSignInElsewhere();
        return health.health();
    }

    @Override
    public TransportLimits limits() {
        return settings.limits;
    }

    /**
     * Checks without sending: for SMTP a token and AUTH at Exchange; for Graph a fresh token from the identity
     * platform (the granted Mail.Send scope allows no harmless read of the mailbox, so the token is the proof).
     */
    @Override
    public TransportHealth testConnection() {
        if (sender == null) {
            return health.health();
        }
        health.clearHold();
        String problem = sender.check();
        if (problem == null) {
            if (health.health().state() != TransportHealth.State.OK) {
                health.ready("Connection checked: token obtained" + (settings.protocol == MicrosoftSettings.Protocol.SMTP
                        ? " and accepted by " + settings.cloud.smtpHost() : "") + ".");
            }
            health.checked();
        }
        return health.health();
    }

    /**
     * Runs {@link #testConnection()} on a thread of its own when the transport could deliver (configured, and signed
     * in unless app-only), so it proves itself right after activation or a sign-in without holding either up.
     * Bounded by the configured timeouts.
     */
    void checkInBackground() {
        if (sender == null || health.state() == TransportHealth.State.AUTHORIZATION_REQUIRED) {
            return;
        }
        Thread thread = new Thread(this::testConnection, "notification.oauth check " + name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Refreshes the sign-in so the refresh token does not lapse after 90 days without use (delegated mode only).
     * Failures show in the health.
     */
    void keepAlive() {
        if (sender == null || settings.appOnly
                || health.health().state() == TransportHealth.State.AUTHORIZATION_REQUIRED) {
            return;
        }
        try {
            tokens.get(true);
        } catch (TokenUnavailableException e) {
            // AccessTokens recorded the failure in the health
        }
    }

    @Override
    public void close() {
        if (sender != null) {
            sender.close();
        }
    }
}

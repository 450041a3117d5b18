package notification.webconsole.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import notification.api.NotificationService;
import notification.api.TransportStatus;
import notification.webconsole.internal.ConsoleActions.Outcome;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings actions of the page: Apply (merge into the edited configuration, validate first, return once in
 * effect) and the delivery order's Move and Remove.
 */
final class SettingsActions {
    private static final Logger LOG = LoggerFactory.getLogger(SettingsActions.class);
    private static final Duration IN_EFFECT_WAIT = Duration.ofSeconds(30);

    private final NotificationService service;
    private final TransportDirectory directory;
    private final TransportConfigurations configurations;
    private final TransportSchemas schemas;
    private final TypedSecrets typedSecrets;
    private final BundleContext context;

    SettingsActions(NotificationService service, TransportDirectory directory, TransportConfigurations configurations,
            TransportSchemas schemas, TypedSecrets typedSecrets, BundleContext context) {
        this.service = service;
        this.directory = directory;
        this.configurations = configurations;
        this.schemas = schemas;
        this.typedSecrets = typedSecrets;
        this.context = context;
    }

    /**
     * Saves the chosen option's fields into its transport's configuration (merged: every other key is kept, the name
     * never changes), makes that transport the first choice, and returns once the change is in effect.
     *
     * @param request the form post
     * @param browser the browser's binding (typed secrets of a refused form are kept for it)
     * @return the outcome
     */
    Outcome apply(HttpServletRequest request, String browser) {
        Map<String, String> form = ConsoleActions.form(request);
        String server = form.getOrDefault("server", "");
        Optional<ServerOption> option = ServerOption.of(server).or(() -> server.startsWith("pid:")
                ? schemas.forFactory(server.substring(4)).map(ServerOption::other) : Optional.empty());
        if (option.isEmpty()) {
            return Outcome.show(Flash.error("SMTP server: choose one of the options."));
        }
        if (option.get().factoryPid() == null) {
            return applyPickup(request);
        }
        String factoryPid = option.get().factoryPid();
        Optional<TransportSchema> schema = schemas.forFactory(factoryPid);
        if (schema.isEmpty()) {
            return Outcome.show(Flash.error("Not saved: the " + option.get().label() + " transport is not installed "
                    + "or not running (no settings are declared for " + factoryPid + ")."));
        }
        String prefix = option.get().fieldPrefix();
        Optional<TransportConfigurations.Stored> stored = Optional.ofNullable(form.get(prefix + ".pid"))
                .filter(pid -> !pid.isBlank()).flatMap(configurations::byPid)
                .filter(s -> factoryPid.equals(s.factoryPid()))
                .or(() -> configurations.ofFactory(factoryPid).stream().findFirst());
        String pid = stored.map(TransportConfigurations.Stored::pid).orElseGet(() -> configurations.newPid(factoryPid));
        Map<String, Object> before = stored.map(TransportConfigurations.Stored::properties).orElse(Map.of());
        FormChanges changes = FormChanges.read(schema.get(), option.get(), form, before,
                key -> typedSecrets.typed(browser, pid, key));
        if (stored.isEmpty() && !configurations.nameTaken(option.get().newName())) {
            changes.changes().put("name", option.get().newName());
        }
        Map<String, Object> proposed = changes.proposed(before);
        Map<String, String> problems = new LinkedHashMap<>(directory.validatorFor(factoryPid)
                .map(v -> v.problems(proposed)).orElse(Map.of()));
        problems.putAll(changes.problems());
        if (!problems.isEmpty()) {
            typedSecrets.keep(browser, pid, changes.typedSecrets());
            return Outcome.show(refused(schema.get(), option.get(), form, problems));
        }
        String name = TransportConfigurations.nameOf(pid, proposed);
        try (ConfigurationInEffect effect = new ConfigurationInEffect(context, name)) {
            boolean changed = configurations.merge(pid, changes.changes(), changes.removals());
            boolean reordered = !configurations.order().stream().findFirst().orElse("").equals(name);
            if (reordered) {
                configurations.putFirst(name);
            }
            typedSecrets.forget(browser, pid);
            LOG.info("Console user {} applied {} to transport {} ({} keys changed, {} removed)",
                    request.getRemoteUser(), option.get().label(), name, changes.changes().size(),
                    changes.removals().size());
            boolean inEffect = effect.await(changed ? IN_EFFECT_WAIT : Duration.ZERO, () -> firstIs(name))
                    || (!changed && waitForOrder(name));
            return Outcome.show(inEffect ? Flash.ok("Applied: " + option.get().label() + " (transport " + name + ").")
                    : Flash.warn("Saved: " + option.get().label() + " (transport " + name + "), but not yet in effect "
                            + "after " + IN_EFFECT_WAIT.toSeconds() + " seconds: the status below may still be the "
                            + "previous one. Reload the page in a moment."));
        } catch (IOException e) {
            return Outcome.show(Flash.error("Not saved: the configuration could not be stored (" + e.getMessage()
                    + ")."));
        }
    }

    private Outcome applyPickup(HttpServletRequest request) {
        String pickup = directory.transports().stream().filter(t -> "pickup".equals(t.type()))
                .map(TransportDirectory.Transport::name).findFirst().orElse(ServerOption.PICKUP.newName());
        try {
            configurations.putFirst(pickup);
        } catch (IOException e) {
            return Outcome.show(Flash.error("Not saved: " + e.getMessage()));
        }
        LOG.info("Console user {} made the pickup folder the first choice", request.getRemoteUser());
        return Outcome.show(waitForOrder(pickup) ? Flash.ok("Applied: " + ServerOption.PICKUP.label() + ".")
                : Flash.warn("Saved: " + ServerOption.PICKUP.label() + ", but not yet in effect. Reload the page in "
                        + "a moment."));
    }

    private Flash refused(TransportSchema schema, ServerOption option, Map<String, String> form,
            Map<String, String> problems) {
        Map<String, String> draft = new HashMap<>(form);
        draft.remove(BrowserSessions.CSRF_FIELD);
        for (ServerOption o : ServerOption.KNOWN) {
            schemas.forFactory(o.factoryPid()).ifPresent(s -> s.fields().stream().filter(TransportSchema.Field::secret)
                    .forEach(f -> draft.remove(o.fieldPrefix() + "." + f.key())));
        }
        schema.fields().stream().filter(TransportSchema.Field::secret)
                .forEach(f -> draft.remove(option.fieldPrefix() + "." + f.key()));
        Map<String, String> byField = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder("Not saved: ").append(problems.size() == 1 ? "one field needs"
                : problems.size() + " fields need").append(" attention below.");
        problems.forEach((key, problem) -> byField.put(option.fieldPrefix() + "." + key, problem));
        return new Flash("error", text.toString(), draft, byField);
    }

    private boolean firstIs(String name) {
        List<TransportStatus> transports = service.transports();
        return !transports.isEmpty() && transports.get(0).name().equals(name) && transports.get(0).bound();
    }

    private boolean waitForOrder(String name) {
        long deadline = System.nanoTime() + IN_EFFECT_WAIT.toNanos();
        while (!firstIs(name)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Moves a transport in the delivery order, or removes it from the order (its configuration stays).
     *
     * @param request the form post: {@code name} and {@code action} = up | down | remove
     * @return the outcome
     */
    Outcome transports(HttpServletRequest request) {
        String name = Optional.ofNullable(request.getParameter("name")).orElse("");
        String action = Optional.ofNullable(request.getParameter("action")).orElse("");
        try {
            boolean done = switch (action) {
                case "up" -> configurations.move(name, -1);
                case "down" -> configurations.move(name, 1);
                case "remove" -> configurations.removeFromOrder(name);
                default -> false;
            };
            if (!done) {
                return Outcome.show(Flash.error("Delivery order: " + ("remove".equals(action)
                        ? "\"" + name + "\" is not in the order, or is the only transport left."
                        : "\"" + name + "\" cannot move " + (action.isEmpty() ? "" : action + " ") + "any further.")));
            }
        } catch (IOException e) {
            return Outcome.show(Flash.error("Delivery order not saved: " + e.getMessage()));
        }
        LOG.info("Console user {}: {} transport {} in the delivery order", request.getRemoteUser(), action,
                ConsoleActions.printable(name));
        List<String> order = configurations.order();
        waitForOrder(order.get(0));
        return Outcome.show(Flash.ok("remove".equals(action) ? "Transport " + name + " no longer delivers; its "
                + "settings are kept. Delivery order: " + String.join(", ", order) + "."
                : "Delivery order: " + String.join(", ", order) + "."));
    }
}

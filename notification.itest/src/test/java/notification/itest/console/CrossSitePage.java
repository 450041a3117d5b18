package notification.itest.console;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Another site (http://localhost:port) whose page posts a form to the console as soon as it opens. */
final class CrossSitePage implements AutoCloseable {
    private final HttpServer server;

    private CrossSitePage(HttpServer server) {
        this.server = server;
    }

    static CrossSitePage start(String target, Map<String, String> fields) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body><form id=\"f\" method=\"post\" action=\"")
                .append(target).append("\">");
        fields.forEach((k, v) -> html.append("<input type=\"hidden\" name=\"").append(k).append("\" value=\"")
                .append(v).append("\">"));
        html.append("</form><script>document.getElementById('f').submit();</script></body></html>");
        byte[] page = html.toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        server.start();
        return new CrossSitePage(server);
    }

    /** The page's address, on "localhost" so it is another site than the console at 127.0.0.1. */
    String url() {
        return "http://localhost:" + server.getAddress().getPort() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

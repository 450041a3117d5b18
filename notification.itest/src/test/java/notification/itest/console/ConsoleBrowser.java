package notification.itest.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Selenium with the system chromedriver (no driver download), logged in to
 * the console with its default credentials, saving a screenshot per step.
 */
final class ConsoleBrowser implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;
    private final Path screenshots;

    private ConsoleBrowser(ChromeDriver driver, Path profile, Path screenshots) {
        this.driver = driver;
        this.profile = profile;
        this.screenshots = screenshots;
    }

    /**
     * Starts a browser.
     *
     * @param screenshotFolder the folder under target/screenshots for this test's screenshots
     * @return the browser; close it after the test
     */
    static ConsoleBrowser start(String screenshotFolder) throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("Chromium and its driver are needed at " + CHROMIUM + " and "
                    + CHROMEDRIVER + ": apt-get install chromium chromium-driver");
        }
        Path profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,1600", "--user-data-dir=" + profile);
        // the fake identity platform serves a self-signed localhost certificate
        options.setAcceptInsecureCerts(true);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        Path target = Path.of(System.getProperty("notification.itest.target", "target"));
        Path screenshots = Files.createDirectories(target.resolve("screenshots").resolve(screenshotFolder));
        return new ConsoleBrowser(driver, profile, screenshots);
    }

    /** Returns the folder the screenshots go to. */
    Path screenshotFolder() {
        return screenshots;
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Opens the Notifications page, logging in with admin/admin through the URL. */
    void openPage(String baseUrl) {
        openPage(baseUrl, "");
    }

    /** Opens the Notifications page with a query (for example "?edit=office"), logging in through the URL. */
    void openPage(String baseUrl, String query) {
        driver.get(baseUrl.replace("://", "://admin:admin@") + ConsoleSession.PAGE + query);
    }

    /** Reloads the page until {@code locator} appears (transports start asynchronously after Apply). */
    WebElement reloadUntil(By locator, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<WebElement> found = driver.findElements(locator);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never appeared: " + locator + "\n" + text());
            }
            sleep(300);
            driver.navigate().refresh();
        }
    }

    /** Waits until the page's text contains {@code expected}. */
    void waitForText(String expected, Duration timeout) {
        try {
            new WebDriverWait(driver, timeout).until(d -> text().contains(expected));
        } catch (RuntimeException e) {
            throw new AssertionError("page never said \"" + expected + "\"; it says:\n" + text(), e);
        }
    }

    /** Waits until the browser is at an address starting with {@code prefix}. */
    void waitForUrl(String prefix, Duration timeout) {
        try {
            new WebDriverWait(driver, timeout).until(d -> d.getCurrentUrl().startsWith(prefix));
        } catch (RuntimeException e) {
            throw new AssertionError("browser never went to " + prefix + "; it is at " + driver.getCurrentUrl()
                    + " showing:\n" + text(), e);
        }
    }

    /** Returns the text of the page body. */
    String text() {
        try {
            List<WebElement> body = driver.findElements(By.tagName("body"));
            return body.isEmpty() ? "" : body.get(0).getText();
        } catch (org.openqa.selenium.WebDriverException e) {
            return ""; // the page is being replaced by the next one
        }
    }

    /** Types into a field after clearing it. */
    void type(String id, String value) {
        WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }

    /** Chooses an option of a select by its value. */
    void choose(String id, String value) {
        new Select(driver.findElement(By.id(id))).selectByValue(value);
    }

    void click(String id) {
        driver.findElement(By.id(id)).click();
    }

    /** Returns a field's current value. */
    String value(String id) {
        return driver.findElement(By.id(id)).getDomProperty("value");
    }

    /** Tells whether an element with this id is on the page and shown. */
    boolean shows(String id) {
        List<WebElement> found = driver.findElements(By.id(id));
        return !found.isEmpty() && found.get(0).isDisplayed();
    }

    /** Saves a screenshot of the current page as {@code name}.png. */
    Path screenshot(String name) {
        Path file = driver.getScreenshotAs(OutputType.FILE).toPath();
        try {
            return Files.move(file, screenshots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the browser console messages about blocked content (Content-Security-Policy violations). */
    List<String> cspViolations() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
                .filter(m -> m.contains("Content Security Policy")).toList();
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

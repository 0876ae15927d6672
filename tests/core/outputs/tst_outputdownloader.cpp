// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// OutputDownloader against scriptable loopback servers: the allowlist before connecting and on
// every redirect, the size cap while streaming, sniffing and full decode, expiry, stalls,
// bounded concurrency, callbacks, and a real write failure. No test leaves a partial file.
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QPointer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include "core/outputs/outputdownloader.h"
#include "tests/core/outputs/outputtestutil.h"
#include "tests/support/fakehttpserver.h"

using namespace brieflow;
using namespace brieflow::test;
using namespace std::chrono_literals;
using Response = FakeHttpServer::Response;

namespace {

QString sha256Of(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

Response image(const QByteArray &bytes, const QByteArray &contentType = "image/png")
{
    Response r;
    r.status = 200;
    r.body = bytes;
    r.header("Content-Type", contentType);
    return r;
}

Response redirect(const QString &location, int status = 302)
{
    Response r;
    r.status = status;
    r.header("Location", location.toUtf8());
    return r;
}

OutputPolicy loopbackPolicy()
{
    OutputPolicy policy;
    policy.allowLoopback = true;
    policy.timeout = 5s;
    return policy;
}

} // namespace

class TestOutputDownloader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void downloadsAndStores();
    void sendsNoTokenOrCookies();
    void refusedBeforeConnecting_data();
    void refusedBeforeConnecting();
    void followsAnAllowedRedirect();
    void redirectToAForeignHostIsRefused();
    void redirectToMetadataAddressIsRefused();
    void redirectLoopStopsAtTheCap();
    void contentLengthOverTheCap();
    void announcedHugeBodyStopsAtOnce();
    void endlessChunkedBodyStopsAtTheCap();
    void htmlServedAsPngIsInvalid();
    void truncatedPngIsInvalid();
    void goneFilesAreExpired_data();
    void goneFilesAreExpired();
    void serverErrorIsRetryableNetwork();
    void stalledServerTimesOut();
    void stallInMidBodyTimesOut();
    void dataUrisTakeTheSamePath();
    void boundedConcurrencyAndOneFilePerContent();
    void callbackIsNeverSynchronous();
    void deadContextDropsTheDownload();
    void abortDeliversNetworkError();
    void writeFailureWhileStreamingIsStorage();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<OutputStorage> m_storage;
    std::unique_ptr<FakeHttpServer> m_server;
};

void TestOutputDownloader::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_storage = std::make_unique<OutputStorage>(m_dir->filePath(QStringLiteral("outputs")));
    m_server = std::make_unique<FakeHttpServer>();
    QVERIFY(m_server->listen());
}

void TestOutputDownloader::cleanup()
{
    m_server.reset();
    QTest::qWait(20); // queued deleteLater()s
    QCOMPARE(filesUnder(m_storage->temporaryDir()), QStringList());
    m_storage.reset();
    m_dir.reset();
}

void TestOutputDownloader::downloadsAndStores()
{
    const QByteArray bytes = pngBytes(64, 36);
    m_server->enqueue(image(bytes, "application/octet-stream")); // the type is never trusted
    OutputDownloader downloader(*m_storage, loopbackPolicy());
    const QString url = m_server->origin().toString() + QStringLiteral("/files/p1/out-0.png");
    const auto outcome = fetchAndWait(downloader, url);
    QVERIFY(outcome);
    QVERIFY2(outcome->ok(), qPrintable(outcome->ok() ? QString() : outcome->error().logText()));
    QCOMPARE(outcome->value().sha256, sha256Of(bytes));
    QCOMPARE(outcome->value().mime, QStringLiteral("image/png"));
    QCOMPARE(outcome->value().width, 64);
    QCOMPARE(outcome->value().height, 36);
    QCOMPARE(outcome->value().bytes, bytes.size());
    QCOMPARE(outcome->value().sourceUrl, url);
    QCOMPARE(outcome->value().filePath, m_storage->pathFor(sha256Of(bytes), QStringLiteral("png")));
    QFile file(outcome->value().filePath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), bytes);
    QCOMPARE(downloader.inFlight(), 0);
}

void TestOutputDownloader::sendsNoTokenOrCookies()
{
    Response first = redirect(QStringLiteral("/second.png"));
    first.header("Set-Cookie", "session=secret; Path=/");
    m_server->enqueue(first);
    m_server->enqueue(image(pngBytes()));
    OutputDownloader downloader(*m_storage, loopbackPolicy());
    const auto outcome =
        fetchAndWait(downloader, m_server->origin().toString() + QStringLiteral("/first.png"));
    QVERIFY(outcome && outcome->ok());
    QCOMPARE(m_server->requestCount(), 2);
    for (const auto &request : m_server->requests()) {
        QVERIFY(!request.hasHeader("Authorization"));
        QVERIFY(!request.hasHeader("Cookie"));
        QVERIFY(request.header("User-Agent").startsWith("Brieflow/"));
    }
}

void TestOutputDownloader::refusedBeforeConnecting_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("loopback");
    QTest::newRow("loopback not allowed") << QStringLiteral("http://{origin}/x.png") << false;
    QTest::newRow("https loopback not allowed")
        << QStringLiteral("https://{origin}/x.png") << false;
    QTest::newRow("non-allowlisted host") << QStringLiteral("https://example.com/x.png") << false;
    QTest::newRow("http to the delivery host")
        << QStringLiteral("http://replicate.delivery/x.png") << false;
    QTest::newRow("file scheme") << QStringLiteral("file:///etc/passwd") << true;
    QTest::newRow("not a url") << QStringLiteral("::::") << true;
}

void TestOutputDownloader::refusedBeforeConnecting()
{
    QFETCH(QString, url);
    QFETCH(bool, loopback);
    url.replace(QStringLiteral("{origin}"), QStringLiteral("127.0.0.1:%1").arg(m_server->port()));
    OutputPolicy policy = loopbackPolicy();
    policy.allowLoopback = loopback;
    OutputDownloader downloader(*m_storage, policy);
    const auto outcome = fetchAndWait(downloader, url);
    QVERIFY(outcome);
    QVERIFY(!outcome->ok());
    QCOMPARE(toString(outcome->error().kind), toString(OutputError::Kind::Refused));
    QVERIFY(!outcome->error().retryable());
    QCOMPARE(m_server->requestCount(), 0);
    QCOMPARE(downloader.peakTransferring(), 0);
}

void TestOutputDownloader::followsAnAllowedRedirect()
{
    const QByteArray bytes = encodeImage(testImage(20, 10), "jpeg");
    m_server->enqueue(redirect(QStringLiteral("/hop1"), 301));
    m_server->enqueue(redirect(m_server->origin().toString() + QStringLiteral("/hop2"), 307));
    m_server->enqueue(image(bytes, "image/jpeg"));
    OutputDownloader downloader(*m_storage, loopbackPolicy());
    const auto outcome =
        fetchAndWait(downloader, m_server->origin().toString() + QStringLiteral("/start"));
    QVERIFY(outcome);
    QVERIFY2(outcome->ok(), qPrintable(outcome->ok() ? QString() : outcome->error().logText()));
    QCOMPARE(outcome->value().mime, QStringLiteral("image/jpeg"));
    QCOMPARE(outcome->value().sha256, sha256Of(bytes));
    QCOMPARE(m_server->requestCount(), 3);
}

void TestOutputDownloader::redirectToAForeignHostIsRefused()
{
    // A listener on 127.0.0.2 (loopback, but not an allowed name): it must never see a connection.
    RawHttpServer foreign;
    if (!foreign.listen(QHostAddress(QStringLiteral("127.0.0.2"))))
        QSKIP("cannot listen on 127.0.0.2");
    for (const QString &target :
         {foreign.url(QStringLiteral("/x.png")), QStringLiteral("https://evil.example.com/x.png"),
          QStringLiteral("https://replicate.delivery.evil.com/x.png")}) {
        m_server->enqueue(redirect(target));
        OutputDownloader downloader(*m_storage, loopbackPolicy());
        const auto outcome =
            fetchAndWait(downloader, m_server->origin().toString() + QStringLiteral("/x"));
        QVERIFY(outcome);
        QVERIFY(!outcome->ok());
        QCOMPARE(toString(outcome->error().kind), toString(OutputError::Kind::Refused));
        QVERIFY(outcome->error().detail.contains(QStringLiteral("redirect")));
    }
    QTest::qWait(50);
    QCOMPARE(foreign.connections(), 0);
}

void TestOutputDownloader::redirectToMetadataAddressIsRefused()
{
    m_server->enqueue(redirect(QStringLiteral("http://169.254.169.254/latest/meta-data/")));
    OutputDownloader downloader(*m_storage, loopbackPolicy());
    QElapsedTimer timer;
    timer.start();
    const auto outcome =
        fetchAndWait(downloader, m_server->origin().toString() + QStringLiteral("/x"));
    QVERIFY(outcome);
    QVERIFY(!outcome->ok());
    QCOMPARE(toString(outcome->error().kind), toString(OutputError::Kind::Refused));
    QVERIFY(timer.elapsed() < 2000); // refused, not a connect attempt that timed out
}

void TestOutputDownloader::redirectLoopStopsAtTheCap()
{
    m_server->setHandler(
        [](const FakeHttpServer::Request &) { return redirect(QStringLiteral("/loop")); });
    OutputPolicy policy = loopbackPolicy();
    policy.maxRedirects = 3;
    OutputDownloader downloader(*m_storage, policy);
    const auto outcome =
        fetchAndWait(downloader, m_server->origin().toString() + QStringLiteral("/loop"));
    QVERIFY(outcome);
    QVERIFY(!outcome->ok());
    QVERIFY2(outcome->error().kind == OutputError::Kind::Refused,
             qPrintable(outcome->error().logText()));
    QCOMPARE(m_server->requestCount(), policy.maxRedirects + 1);
}

void TestOutputDownloader::contentLengthOverTheCap()
{
    m_server->enqueue(image(pngBytes(300, 300)));
    OutputPolicy policy = loopbackPolicy();
    policy.maxBytes = 1000;
    OutputDownloader downloader(*m_storage, policy);
    const auto outcome =
        fetchAndWait(downloader, m_server->origin().toString() + QStringLiteral("/big.png"));
    QVERIFY(outcome);
    QVERIFY(!outcome->ok());
    QCOMPARE(toString(outcome->error().kind), toString(OutputError::Kind::TooLarge));
    QVERIFY(!outcome->error().retryable());
    QCOMPARE(storedFiles(*m_storage), QStringList());
}

void TestOutputDownloader::announcedHugeBodyStopsAtOnce()
{
    // 10 GB announced, then silence: the header alone ends it, long before the stall timeout.
    RawHttpServer server;
    QVERIFY(server.listen());
    server.setHandler([](QTcpSocket *socket) {
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n"
                      "Content-Length: 10000000000\r\n\r\n\x89PNG\r\n\x1a\n");
    });
    OutputDownloader downloader(*m_storage, loopbackPolicy());
    QElapsedTimer timer;
    timer.start();
    const auto outcome = fetchAndWait(downloader, server.url(QStringLiteral("/huge.png")));
    QVERIFY(outcome);
    QVERIFY(!outcome->ok());
    QCOMPARE(toString(outcome->error().kind), toString(OutputError::Kind::TooLarge));
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
}

void TestOutputDownloader::endlessChunkedBodyStopsAtTheCap()
{
    constexpr qint64 cap = 256 * 1024;
    qint64 sent = 0;
    qint64 largestPartial = 0;
    RawHttpServer server;
    QVERIFY(server.listen());
    const QByteArray chunk(16 * 1024, 'x');
    const QByteArray framed = QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
    server.setHandler([&](QTcpSocket *socket) {
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n");
        const QByteArray magic("\x89PNG\r\n\x1a\n", 8);
        socket->write(QByteArray::number(magic.size(), 16) + "\r\n" + magic + "\r\n");
        auto feed = [&, socket] {
            // Never more than ~64 KB queued, so "sent" is close to what the client received.
            while (socket->state() == QAbstractSocket::ConnectedState
                   && socket->bytesToWrite() < 64 * 1024) {
                socket->write(framed);
                sent += chunk.size();
            }
            for (const QString &partial : filesUnder(m_storage->temporaryDir()))
                largestPartial = std::max(largestPartial, QFileInfo(partial).size());
        };
        QObject::connect(socket, &QTcpSocket::bytesWritten, socket, feed);
        feed();
    });
    OutputPolicy policy = loopbackPolicy();
    policy.maxBytes = cap;
    OutputDownloader downloader(*m_storage, policy);
    const auto outcome = fetchAndWait(downloader, server.url(QStringLiteral("/endless.png")));
    QVERIFY(outcome);
    QVERIFY(!outcome->ok());
    QCOMPARE(toString(outcome->error().kind), toString(OutputError::Kind::TooLarge));
    QVERIFY2(sent > cap, qPrintable(QString::number(sent)));
    QVERIFY(largestPartial > 0);
    QVERIFY2(largestPartial <= cap, qPrintable(QString::number(largestPartial)));
    QTest::qWait(100);
    QVERIFY2(sent < cap + 4 * 1024 * 1024, qPrintable(QString::number(sent))); // it stopped
}

void TestOutputDownloader::htmlServedAsPngIsInvalid()
{
    m_server->enqueue(image("<!doctype html><html><body>Access denied</body></html>", "image/png"));
    OutputDownloader downloader(*m_storage, loopbackPolicy());
    const auto outcome =
        fetchAndWait(downloader, m_server->origin().toString() + QStringLiteral("/x.png"));
    QVERIFY(outcome);
    QVERIFY(!outcome->ok());
    QCOMPARE(toString(outcome->error().kind), toString(OutputError::Kind::Invalid));
    QCOMPARE(storedFiles(*m_storage), QStringList());
}

void TestOutputDownloader::truncatedPngIsInvalid()
{
    const QByteArray png = pngBytes(120, 120);
    m_server->enqueue(image(png.left(png.size() * 2 / 3)));
    OutputDownloader downloader(*m_storage, loopbackPolicy());
    const auto outcome =
        fetchAndWait(downloader, m_server->origin().toString() + QStringLiteral("/x.png"));
    QVERIFY(outcome);
    QVERIFY(!outcome->ok());
    QCOMPARE(toString(outcome->error().kind), toString(OutputError::Kind::Invalid));
    QCOMPARE(storedFiles(*m_storage), QStringList());
}

void TestOutputDownloader::goneFilesAreExpired_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("404") << 404;
    QTest::newRow("410") << 410;
}

void TestOutputDownloader::goneFilesAreExpired()
{
    QFETCH(int, status);
    m_server->enqueue(Response::json(status, R"({"detail":"gone"})"));
    OutputDownloader downloader(*m_storage, loopbackPolicy());
    const auto outcome =
        fetchAndWait(downloader, m_server->origin().toString() + QStringLiteral("/x.png"));
    QVERIFY(outcome);
    QVERIFY(!outcome->ok());
    QCOMPARE(toString(outcome->error().kind), toString(OutputError::Kind::Expired));
    QCOMPARE(toString(outcome->error().kind), QStringLiteral("output_expired"));
    QVERIFY(!outcome->error().retryable());
}

void TestOutputDownloader::serverErrorIsRetryableNetwork()
{
    m_server->enqueue(Response::json(500, R"({"detail":"oops"})"));
    m_server->enqueue(image(pngBytes()));
    OutputDownloader downloader(*m_storage, loopbackPolicy());
    const QString url = m_server->origin().toString() + QStringLiteral("/x.png");
    const auto outcome = fetchAndWait(downloader, url);
    QVERIFY(outcome);
    QVERIFY(!outcome->ok());
    QCOMPARE(toString(outcome->error().kind), toString(OutputError::Kind::Network));
    QVERIFY(outcome->error().retryable());
    QVERIFY(outcome->error().detail.contains(QStringLiteral("500")));
    // The retry works.
    const auto again = fetchAndWait(downloader, url);
    QVERIFY(again && again->ok());
}

void TestOutputDownloader::stalledServerTimesOut()
{
    m_server->enqueue(image(pngBytes()).delay(10000));
    OutputPolicy policy = loopbackPolicy();
    policy.timeout = 300ms;
    OutputDownloader downloader(*m_storage, policy);
    QElapsedTimer timer;
    timer.start();
    const auto outcome =
        fetchAndWait(downloader, m_server->origin().toString() + QStringLiteral("/x.png"));
    QVERIFY(outcome);
    QVERIFY(!outcome->ok());
    QCOMPARE(toString(outcome->error().kind), toString(OutputError::Kind::Network));
    QVERIFY(outcome->error().retryable());
    QVERIFY(timer.elapsed() >= 250);
    QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
}

void TestOutputDownloader::stallInMidBodyTimesOut()
{
    const QByteArray png = pngBytes(100, 100);
    RawHttpServer server;
    QVERIFY(server.listen());
    server.setHandler([&png](QTcpSocket *socket) {
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: "
                      + QByteArray::number(png.size()) + "\r\n\r\n" + png.left(png.size() / 2));
    });
    OutputPolicy policy = loopbackPolicy();
    policy.timeout = 300ms;
    OutputDownloader downloader(*m_storage, policy);
    QObject context;
    std::optional<Result<StoredOutput, OutputError>> outcome;
    downloader.fetch(server.url(QStringLiteral("/x.png")), &context,
                     [&outcome](const auto &r) { outcome.emplace(r); });
    // While it is stalled, the partial file exists; afterwards it is gone.
    QVERIFY(QTest::qWaitFor([this] { return !filesUnder(m_storage->temporaryDir()).isEmpty(); }));
    QVERIFY(QTest::qWaitFor([&outcome] { return outcome.has_value(); }, 5000));
    QVERIFY(!outcome->ok());
    QCOMPARE(toString(outcome->error().kind), toString(OutputError::Kind::Network));
}

void TestOutputDownloader::dataUrisTakeTheSamePath()
{
    const QByteArray png = pngBytes(9, 7);
    OutputDownloader downloader(*m_storage, loopbackPolicy());
    const auto ok = fetchAndWait(downloader, QStringLiteral("data:image/png;base64,")
                                                 + QString::fromLatin1(png.toBase64()));
    QVERIFY(ok);
    QVERIFY2(ok->ok(), qPrintable(ok->ok() ? QString() : ok->error().logText()));
    QCOMPARE(ok->value().sha256, sha256Of(png));
    QCOMPARE(ok->value().width, 9);
    QCOMPARE(ok->value().sourceUrl, QStringLiteral("data:image/png;base64"));

    const auto garbage = fetchAndWait(downloader, QStringLiteral("data:image/png;base64,AAAA####"));
    QVERIFY(garbage && !garbage->ok());
    QCOMPARE(toString(garbage->error().kind), toString(OutputError::Kind::Invalid));

    const auto html = fetchAndWait(downloader, QStringLiteral("data:image/png,<html></html>"));
    QVERIFY(html && !html->ok());
    QCOMPARE(toString(html->error().kind), toString(OutputError::Kind::Invalid));
    QCOMPARE(m_server->requestCount(), 0);
}

void TestOutputDownloader::boundedConcurrencyAndOneFilePerContent()
{
    const QByteArray same = pngBytes(30, 30, 5);
    m_server->setHandler([&same](const FakeHttpServer::Request &request) {
        const QByteArray bytes =
            request.path().endsWith(QStringLiteral("same.png"))
                ? same
                : pngBytes(30, 30, static_cast<quint32>(qHash(request.path())));
        return image(bytes).delay(100);
    });
    OutputPolicy policy = loopbackPolicy();
    policy.maxConcurrent = 3;
    OutputDownloader downloader(*m_storage, policy);
    QObject context;
    int done = 0;
    int succeeded = 0;
    for (int i = 0; i < 8; ++i) {
        const QString path = i < 4 ? QStringLiteral("/same.png?i=%1").arg(i)
                                   : QStringLiteral("/other-%1.png").arg(i);
        downloader.fetch(m_server->origin().toString() + path, &context,
                         [&](const Result<StoredOutput, OutputError> &r) {
                             ++done;
                             succeeded += r.ok() ? 1 : 0;
                         });
    }
    QCOMPARE(downloader.inFlight(), 8);
    QCOMPARE(downloader.transferringCount(), 3);
    QCOMPARE(downloader.queuedCount(), 5);
    QVERIFY(QTest::qWaitFor([&done] { return done == 8; }, 10000));
    QCOMPARE(succeeded, 8);
    QCOMPARE(downloader.peakTransferring(), 3);
    QVERIFY(m_server->peakConcurrent() <= 3);
    QCOMPARE(downloader.inFlight(), 0);
    QCOMPARE(storedFiles(*m_storage).size(), 5); // four fetches of one image: one file
}

void TestOutputDownloader::callbackIsNeverSynchronous()
{
    OutputDownloader downloader(*m_storage, loopbackPolicy());
    QObject context;
    int calls = 0;
    auto count = [&calls](const Result<StoredOutput, OutputError> &) { ++calls; };
    downloader.fetch(QStringLiteral("https://example.com/x.png"), &context, count); // refused
    downloader.fetch(QStringLiteral("data:image/png;base64,AAAA"), &context, count);
    const quint64 id =
        downloader.fetch(QStringLiteral("https://example.com/y.png"), &context, count);
    downloader.abort(id); // already finished: ignored
    QCOMPARE(calls, 0);
    QVERIFY(QTest::qWaitFor([&calls] { return calls == 3; }));
    QTest::qWait(50);
    QCOMPARE(calls, 3); // exactly once each
}

void TestOutputDownloader::deadContextDropsTheDownload()
{
    m_server->enqueue(image(pngBytes()).delay(200));
    OutputDownloader downloader(*m_storage, loopbackPolicy());
    int calls = 0;
    auto context = std::make_unique<QObject>();
    downloader.fetch(m_server->origin().toString() + QStringLiteral("/x.png"), context.get(),
                     [&calls](const auto &) { ++calls; });
    QVERIFY(QTest::qWaitFor([this] { return m_server->requestCount() == 1; }));
    context.reset();
    QCOMPARE(downloader.inFlight(), 0);
    QTest::qWait(400);
    QCOMPARE(calls, 0);
    QCOMPARE(storedFiles(*m_storage), QStringList());
}

void TestOutputDownloader::abortDeliversNetworkError()
{
    m_server->enqueue(image(pngBytes()).delay(5000));
    OutputDownloader downloader(*m_storage, loopbackPolicy());
    QObject context;
    std::optional<Result<StoredOutput, OutputError>> outcome;
    const quint64 id =
        downloader.fetch(m_server->origin().toString() + QStringLiteral("/x.png"), &context,
                         [&outcome](const auto &r) { outcome.emplace(r); });
    QVERIFY(QTest::qWaitFor([this] { return m_server->requestCount() == 1; }));
    downloader.abort(id);
    QVERIFY(!outcome.has_value()); // not inside abort()
    QCOMPARE(downloader.inFlight(), 0);
    QVERIFY(QTest::qWaitFor([&outcome] { return outcome.has_value(); }, 1000));
    QVERIFY(!outcome->ok());
    QCOMPARE(toString(outcome->error().kind), toString(OutputError::Kind::Network));
    QCOMPARE(outcome->error().detail, QStringLiteral("aborted"));
}

void TestOutputDownloader::writeFailureWhileStreamingIsStorage()
{
#ifdef Q_OS_UNIX
    const QByteArray big = encodeImage(testImage(256, 256, true), "png");
    QVERIFY(big.size() > 128 * 1024);
    m_server->enqueue(image(big));
    OutputDownloader downloader(*m_storage, loopbackPolicy());
    std::optional<Result<StoredOutput, OutputError>> outcome;
    {
        FileSizeLimit limit(32 * 1024);
        QVERIFY(limit.ok());
        outcome =
            fetchAndWait(downloader, m_server->origin().toString() + QStringLiteral("/b.png"));
    }
    QVERIFY(outcome);
    QVERIFY(!outcome->ok());
    QCOMPARE(toString(outcome->error().kind), toString(OutputError::Kind::Storage));
    QVERIFY(outcome->error().retryable());
    // EFBIG from the file-size limit counts as a full disk, as ENOSPC and EDQUOT do.
    QVERIFY(outcome->error().diskFull);
    QVERIFY(outcome->error().message.startsWith(QStringLiteral("The disk is full")));
    QVERIFY(!outcome->error().message.contains(QStringLiteral(".part")));
    QCOMPARE(filesUnder(m_storage->temporaryDir()), QStringList());
    QCOMPARE(storedFiles(*m_storage), QStringList());
#else
    QSKIP("RLIMIT_FSIZE is POSIX");
#endif
}

QTEST_GUILESS_MAIN(TestOutputDownloader)
#include "tst_outputdownloader.moc"

// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// F11 (reliability-performance.md §8): hostile output URLs through the real OutputDownloader and
// the real engine. A "delivery" server on 127.0.0.1 is the only allowed origin (allowLoopback
// with loopbackPorts = its port); it serves plain http links, redirects to other loopback ports,
// to 127.0.0.2, to the cloud metadata address and to foreign hosts, endless and oversized
// bodies, HTML labelled image/png, a PNG declaring 50000x50000, a deflate-bomb PNG and a gzip
// bomb. Trap listeners (another loopback port, 127.0.0.2, and an application-wide HTTP proxy that
// catches every non-loopback connection) count connections: there must be none. The whole run
// is under RLIMIT_FSIZE = cap + 1 MiB, so a write past that would fail with EFBIG and show up as a
// Storage error instead of the refusal; the temporary folder is also watched for its largest
// file. Prints one JSON line.
#include <QHostAddress>
#include <QNetworkProxy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

#include "tests/core/outputs/outputtestutil.h"
#include "tests/faults/faultrig.h"

#include <zlib.h>

using namespace brieflow;
using namespace brieflow::test;
using namespace std::chrono_literals;

namespace {

constexpr qint64 kCap = 1024 * 1024;   ///< the policy's size cap in this test
constexpr qint64 kSlack = 1024 * 1024; ///< F11 allows cap + 1 MB on disk

/** Counts TCP connections and closes them at once: nothing may ever reach one. */
class TrapListener {
public:
    bool listen(const QHostAddress &address)
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                ++m_connections;
                socket->abort();
                socket->deleteLater();
            }
        });
        return m_server.listen(address, 0);
    }
    quint16 port() const { return m_server.serverPort(); }
    int connections() const { return m_connections; }

private:
    QTcpServer m_server;
    int m_connections = 0;
};

/** The allowed origin: answers by path; every request and connection is counted. */
class DeliveryServer {
public:
    using Handler = std::function<void(const QByteArray &path, QTcpSocket *)>;

    bool listen()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                ++m_connections;
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    QByteArray buffer =
                        socket->property("buffer").toByteArray() + socket->readAll();
                    socket->setProperty("buffer", buffer);
                    const qsizetype end = buffer.indexOf("\r\n\r\n");
                    if (end < 0)
                        return;
                    socket->setProperty("buffer", buffer.mid(end + 4));
                    const QList<QByteArray> line = buffer.left(buffer.indexOf("\r\n")).split(' ');
                    ++m_requests;
                    m_handler(line.value(1), socket);
                });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        return m_server.listen(QHostAddress::LocalHost, 0);
    }
    void setHandler(Handler handler) { m_handler = std::move(handler); }
    quint16 port() const { return m_server.serverPort(); }
    QString url(const QString &path) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(path);
    }
    int connections() const { return m_connections; }
    int requests() const { return m_requests; }

private:
    QTcpServer m_server;
    Handler m_handler;
    int m_connections = 0;
    int m_requests = 0;
};

QByteArray be32(quint32 v)
{
    QByteArray out(4, '\0');
    for (int i = 0; i < 4; ++i)
        out[i] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
    return out;
}

QByteArray pngChunk(const char *type, const QByteArray &data)
{
    QByteArray body = QByteArray(type, 4) + data;
    const auto crc = static_cast<quint32>(
        crc32(0, reinterpret_cast<const Bytef *>(body.constData()), uInt(body.size())));
    return be32(quint32(data.size())) + body + be32(crc);
}

/**
 * Deflates @p total zero bytes (as zlib, or gzip with @p gzip) without holding them in memory:
 * a compression bomb of about total / 1000 bytes.
 */
QByteArray deflateZeros(qint64 total, bool gzip)
{
    z_stream z{};
    if (deflateInit2(&z, 9, Z_DEFLATED, gzip ? 31 : 15, 9, Z_RLE) != Z_OK)
        return {};
    const QByteArray zeros(256 * 1024, '\0');
    QByteArray out;
    QByteArray buffer(256 * 1024, Qt::Uninitialized);
    qint64 left = total;
    int flush = Z_NO_FLUSH;
    do {
        const qint64 n = std::min<qint64>(left, zeros.size());
        z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(zeros.constData()));
        z.avail_in = uInt(n);
        left -= n;
        flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = reinterpret_cast<Bytef *>(buffer.data());
            z.avail_out = uInt(buffer.size());
            deflate(&z, flush);
            out.append(buffer.constData(), buffer.size() - qsizetype(z.avail_out));
        } while (z.avail_out == 0);
    } while (flush != Z_FINISH);
    deflateEnd(&z);
    return out;
}

/** A grayscale PNG header of @p width x @p height with @p idat as its image data. */
QByteArray pngWith(quint32 width, quint32 height, const QByteArray &idat)
{
    const QByteArray ihdr = be32(width) + be32(height) + QByteArray("\x08\x00\x00\x00\x00", 5);
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", ihdr) + pngChunk("IDAT", idat)
           + pngChunk("IEND", {});
}

void writeHead(QTcpSocket *socket, const QByteArray &status, const QByteArray &headers)
{
    socket->write("HTTP/1.1 " + status + "\r\n" + headers + "\r\n");
}

void writeWhole(QTcpSocket *socket, const QByteArray &type, const QByteArray &body,
                const QByteArray &extra = {})
{
    writeHead(socket, "200 OK",
              "Content-Type: " + type + "\r\nContent-Length: " + QByteArray::number(body.size())
                  + "\r\n" + extra);
    socket->write(body);
}

/** Writes @p chunk again and again, as an endless chunked body, until the client goes. */
void writeEndlessChunks(QTcpSocket *socket, const QByteArray &chunk)
{
    writeHead(socket, "200 OK", "Content-Type: image/png\r\nTransfer-Encoding: chunked\r\n");
    auto *timer = new QTimer(socket);
    QObject::connect(timer, &QTimer::timeout, socket, [socket, chunk] {
        if (socket->state() != QAbstractSocket::ConnectedState)
            return;
        if (socket->bytesToWrite() < 4 * chunk.size())
            socket->write(QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n");
    });
    timer->start(1);
}

struct Case {
    QString name;
    QString url; ///< absolute, or a path on the delivery server
    QList<OutputError::Kind> expected;
};

} // namespace

class TestFaultHostileUrls : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void downloaderRefusesEveryHostileUrl();
    void engineRefusesAnOutputOffTheAllowlist();
    void cleanupTestCase();

private:
    DeliveryServer m_delivery;
    TrapListener m_trapLoopback;  ///< 127.0.0.1, another port
    TrapListener m_trapOtherHost; ///< 127.0.0.2
    TrapListener m_trapProxy;     ///< every non-loopback destination goes here
    bool m_otherHost = false;
    QByteArray m_validPng;
    QByteArray m_hugeDimensions;
    QByteArray m_deflateBomb;
    QByteArray m_gzipBomb;
    QJsonObject m_report;
};

void TestFaultHostileUrls::initTestCase()
{
    QVERIFY(m_delivery.listen());
    QVERIFY(m_trapLoopback.listen(QHostAddress::LocalHost));
    m_otherHost = m_trapOtherHost.listen(QHostAddress(QStringLiteral("127.0.0.2")));
    QVERIFY(m_trapProxy.listen(QHostAddress::LocalHost));
    // Anything that would leave loopback goes through this "proxy": a connection there is a
    // request that should never have been made (Qt never proxies loopback addresses).
    QNetworkProxy::setApplicationProxy(
        QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), m_trapProxy.port()));

    m_validPng = encodeImage(testImage(96, 64, true), "png");
    m_hugeDimensions = pngWith(50000, 50000, deflateZeros(50000 + 1, false));
    // 16384 rows of 1 + 16384 zero bytes: 268 MB of pixels in a few hundred KB.
    m_deflateBomb = pngWith(16384, 16384, deflateZeros(qint64(16384) * 16385, false));
    m_gzipBomb = deflateZeros(256LL * 1024 * 1024, true);
    QVERIFY(m_deflateBomb.size() < 600 * 1024);
    QVERIFY(m_gzipBomb.size() < 600 * 1024);

    m_delivery.setHandler([this](const QByteArray &rawPath, QTcpSocket *socket) {
        const QUrl url(QString::fromLatin1(rawPath));
        const QString path = url.path();
        if (path == QLatin1String("/redirect")) {
            const QString to =
                QUrlQuery(url).queryItemValue(QStringLiteral("to"), QUrl::FullyDecoded);
            writeHead(socket, "302 Found",
                      "Location: " + to.toUtf8() + "\r\nContent-Length: 0\r\n");
        } else if (path == QLatin1String("/loop")) {
            writeHead(socket, "302 Found", "Location: /loop\r\nContent-Length: 0\r\n");
        } else if (path == QLatin1String("/ok.png")) {
            writeWhole(socket, "image/png", m_validPng);
        } else if (path == QLatin1String("/announced-huge")) {
            writeHead(socket, "200 OK",
                      "Content-Type: image/png\r\nContent-Length: 5368709120\r\n");
            socket->write(m_validPng.left(64 * 1024));
        } else if (path == QLatin1String("/unannounced-huge")) {
            // No length: the body ends when the connection closes, 3 x the cap later.
            writeHead(socket, "200 OK", "Content-Type: image/png\r\nConnection: close\r\n");
            socket->write(m_validPng.left(64));
            socket->write(QByteArray(3 * kCap, '\x42'));
            socket->disconnectFromHost();
        } else if (path == QLatin1String("/endless")) {
            writeEndlessChunks(socket, QByteArray(64 * 1024, '\x17'));
        } else if (path == QLatin1String("/html")) {
            writeWhole(socket, "image/png",
                       "<!doctype html><html><body><img src=x onerror=alert(1)></body></html>");
        } else if (path == QLatin1String("/huge-dimensions.png")) {
            writeWhole(socket, "image/png", m_hugeDimensions);
        } else if (path == QLatin1String("/deflate-bomb.png")) {
            writeWhole(socket, "image/png", m_deflateBomb);
        } else if (path == QLatin1String("/gzip-bomb.png")) {
            writeWhole(socket, "image/png", m_gzipBomb, "Content-Encoding: gzip\r\n");
        } else {
            writeHead(socket, "404 Not Found", "Content-Length: 0\r\n");
        }
    });
}

void TestFaultHostileUrls::cleanupTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy(QNetworkProxy::NoProxy));
    printFaultReport(QStringLiteral("hostile_urls"), m_report);
}

void TestFaultHostileUrls::downloaderRefusesEveryHostileUrl()
{
    using Kind = OutputError::Kind;
    const QString trap = QStringLiteral("127.0.0.1:%1").arg(m_trapLoopback.port());
    const QString otherHost = QStringLiteral("127.0.0.2:%1").arg(m_trapOtherHost.port());
    const auto via = [](const QString &target) -> QString {
        return QStringLiteral("/redirect?to=")
               + QString::fromLatin1(QUrl::toPercentEncoding(target));
    };
    QList<Case> cases{
        {QStringLiteral("plain http to the delivery host"),
         QStringLiteral("http://replicate.delivery/pbxt/x.png"),
         {Kind::Refused}},
        {QStringLiteral("http to a foreign host"),
         QStringLiteral("http://evil.example/x.png"),
         {Kind::Refused}},
        {QStringLiteral("loopback, another port"),
         QStringLiteral("http://%1/x.png").arg(trap),
         {Kind::Refused}},
        {QStringLiteral("metadata address"),
         QStringLiteral("http://169.254.169.254/latest/meta-data/"),
         {Kind::Refused}},
        {QStringLiteral("redirect to loopback"),
         via(QStringLiteral("http://%1/x.png").arg(trap)),
         {Kind::Refused}},
        {QStringLiteral("redirect to localhost"),
         via(QStringLiteral("http://localhost:%1/x.png").arg(m_trapLoopback.port())),
         {Kind::Refused}},
        {QStringLiteral("redirect to loopback as hex"),
         via(QStringLiteral("http://0x7f000001:%1/x.png").arg(m_trapLoopback.port())),
         {Kind::Refused}},
        {QStringLiteral("redirect to loopback, https"),
         via(QStringLiteral("https://%1/x.png").arg(trap)),
         {Kind::Refused}},
        {QStringLiteral("redirect to 127.0.0.2"),
         via(QStringLiteral("http://%1/x.png").arg(otherHost)),
         {Kind::Refused}},
        {QStringLiteral("redirect to link-local metadata"),
         via(QStringLiteral("http://169.254.169.254/latest/meta-data/iam/")),
         {Kind::Refused}},
        {QStringLiteral("redirect to link-local metadata, https"),
         via(QStringLiteral("https://169.254.169.254/x.png")),
         {Kind::Refused}},
        {QStringLiteral("redirect to IPv4-mapped loopback"),
         via(QStringLiteral("http://[::ffff:127.0.0.1]:%1/x.png").arg(m_trapLoopback.port())),
         {Kind::Refused}},
        {QStringLiteral("redirect to another host"),
         via(QStringLiteral("https://evil.example/x")),
         {Kind::Refused}},
        {QStringLiteral("redirect with user info"),
         via(QStringLiteral("https://user:pw@replicate.delivery/x.png")),
         {Kind::Refused}},
        {QStringLiteral("redirect to file:"),
         via(QStringLiteral("file:///etc/passwd")),
         {Kind::Refused}},
        {QStringLiteral("redirect loop"), QStringLiteral("/loop"), {Kind::Refused}},
        {QStringLiteral("announced 5 GB"), QStringLiteral("/announced-huge"), {Kind::TooLarge}},
        {QStringLiteral("unannounced oversized body"),
         QStringLiteral("/unannounced-huge"),
         {Kind::TooLarge}},
        {QStringLiteral("endless chunked body"), QStringLiteral("/endless"), {Kind::TooLarge}},
        {QStringLiteral("HTML served as image/png"), QStringLiteral("/html"), {Kind::Invalid}},
        {QStringLiteral("PNG declaring 50000x50000"),
         QStringLiteral("/huge-dimensions.png"),
         {Kind::TooLarge, Kind::Invalid}},
        {QStringLiteral("deflate-bomb PNG"),
         QStringLiteral("/deflate-bomb.png"),
         {Kind::TooLarge, Kind::Invalid}},
        // Qt's own decompression guard may stop it first (a Network error); either way ≤ cap.
        {QStringLiteral("gzip bomb"),
         QStringLiteral("/gzip-bomb.png"),
         {Kind::TooLarge, Kind::Network}},
    };
    if (!m_otherHost)
        cases.removeIf([](const Case &c) { return c.name.contains(QLatin1String("127.0.0.2")); });

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    OutputStorage storage(dir.filePath(QStringLiteral("outputs")));
    OutputPolicy policy;
    policy.allowLoopback = true;
    policy.loopbackPorts = {m_delivery.port()};
    policy.maxBytes = kCap;
    policy.timeout = 5s;
    OutputDownloader downloader(storage, policy);

    // The largest temporary file seen while the downloads run, sampled every millisecond.
    qint64 largestPartial = 0;
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, &sampler, [&] {
        for (const QString &file : filesUnder(storage.temporaryDir()))
            largestPartial = std::max(largestPartial, QFileInfo(file).size());
    });
    sampler.start(1);

    QJsonObject perKind;
    QStringList misses;
    int refusedBeforeAnyRequest = 0;
    {
        // A write past cap + 1 MiB fails (EFBIG) and would surface as a Storage error.
        FileSizeLimit limit(static_cast<rlim_t>(kCap + kSlack));
        QVERIFY(limit.ok());

        // The control: an allowed download works under the same policy, limit and proxy.
        const auto ok = fetchAndWait(downloader, m_delivery.url(QStringLiteral("/ok.png")));
        QVERIFY(ok);
        QVERIFY2(ok->ok(), qPrintable(ok->ok() ? QString() : ok->error().logText()));

        for (const Case &c : std::as_const(cases)) {
            const int requestsBefore = m_delivery.requests();
            const QString url = c.url.startsWith(QLatin1Char('/')) ? m_delivery.url(c.url) : c.url;
            const auto outcome = fetchAndWait(downloader, url, 15000);
            if (!outcome) {
                misses << c.name + QStringLiteral(": no answer");
                continue;
            }
            if (outcome->ok()) {
                misses << c.name + QStringLiteral(": accepted");
                continue;
            }
            const OutputError &error = outcome->error();
            perKind[toString(error.kind)] = perKind.value(toString(error.kind)).toInt() + 1;
            if (!c.expected.contains(error.kind))
                misses << c.name + QStringLiteral(": ") + error.logText();
            if (error.message.isEmpty() || error.message.contains(QLatin1String("http"))
                || error.message.contains(QLatin1String("127.0.0")))
                misses << c.name + QStringLiteral(": no plain message: ") + error.message;
            if (!c.url.startsWith(QLatin1Char('/')) && m_delivery.requests() != requestsBefore)
                misses << c.name + QStringLiteral(": a request was sent");
            if (!c.url.startsWith(QLatin1Char('/')))
                ++refusedBeforeAnyRequest;
            QTest::qWait(5); // the reply's deleteLater()
            if (const QStringList left = filesUnder(storage.temporaryDir()); !left.isEmpty())
                misses << c.name + QStringLiteral(": temporary files left: ")
                              + left.join(QLatin1Char(' '));
        }
    }
    sampler.stop();
    QTest::qWait(50);

    const QStringList stored = storedFiles(storage);
    const int trapConnections = m_trapLoopback.connections() + m_trapOtherHost.connections();
    m_report.insert(QStringLiteral("cases"), int(cases.size()));
    m_report.insert(QStringLiteral("refused_by_kind"), perKind);
    m_report.insert(QStringLiteral("refused_before_any_request"), refusedBeforeAnyRequest);
    m_report.insert(QStringLiteral("misses"), int(misses.size()));
    m_report.insert(QStringLiteral("cap_bytes"), kCap);
    m_report.insert(QStringLiteral("largest_partial_bytes_seen"), largestPartial);
    m_report.insert(QStringLiteral("rlimit_fsize_bytes"), kCap + kSlack);
    m_report.insert(QStringLiteral("stray_temporary_files"),
                    int(filesUnder(storage.temporaryDir()).size()));
    m_report.insert(QStringLiteral("stored_files"), int(stored.size()));
    m_report.insert(QStringLiteral("trap_connections"), trapConnections);
    m_report.insert(QStringLiteral("proxy_connections"), m_trapProxy.connections());
    m_report.insert(QStringLiteral("other_host_trap"), m_otherHost);
    m_report.insert(QStringLiteral("delivery_connections"), m_delivery.connections());
    m_report.insert(QStringLiteral("delivery_requests"), m_delivery.requests());

    QVERIFY2(misses.isEmpty(), qPrintable(misses.join(QStringLiteral("\n"))));
    QVERIFY(largestPartial <= kCap);
    QCOMPARE(filesUnder(storage.temporaryDir()), QStringList());
    QCOMPARE(stored.size(), 1); // the control image only
    QCOMPARE(trapConnections, 0);
    QCOMPARE(m_trapProxy.connections(), 0);
}

void TestFaultHostileUrls::engineRefusesAnOutputOffTheAllowlist()
{
    // The engine with a policy that allows only another loopback port: the sandbox's file links
    // are refused before connecting, the step fails with a plain message, nothing is re-created.
    EngineRig rig;
    OutputPolicy policy = rig.options.outputPolicy;
    policy.loopbackPorts = {m_trapLoopback.port()};
    rig.options.outputPolicy = policy;
    rig.downloader = std::make_unique<OutputDownloader>(*rig.storage, policy);
    const int jobs = 3;
    QList<JobId> ids;
    for (int i = 0; i < jobs; ++i)
        ids << submitVariant(rig, i);
    QVERIFY(rig.runUntilIdle(30'000));

    int failedRefused = 0;
    for (const JobId &id : std::as_const(ids)) {
        QCOMPARE(rig.status(id), QStringLiteral("failed"));
        for (const StepRecord &step : rig.steps(id)) {
            if (step.errorType == toString(OutputError::Kind::Refused)) {
                ++failedRefused;
                QVERIFY(step.errorMessage.contains(QStringLiteral("Replicate's file server")));
            }
        }
        QCOMPARE(rig.store->outputs(id)->size(), 0);
    }
    const auto &stats = rig.server->stats();
    int duplicates = 0;
    for (const int n : stats.createsPerInput)
        duplicates += std::max(0, n - 1);
    const int fileRequests =
        stats.requestsPerEndpoint.value(QStringLiteral("GET /files/{id}/{name}"));
    QJsonObject engine{{QStringLiteral("jobs"), jobs},
                       {QStringLiteral("steps_refused"), failedRefused},
                       {QStringLiteral("predictions_created"), stats.predictionsCreated},
                       {QStringLiteral("duplicate_predictions"), duplicates},
                       {QStringLiteral("file_requests"), fileRequests},
                       {QStringLiteral("stray_temporary_files"),
                        int(filesUnder(rig.storage->temporaryDir()).size())},
                       {QStringLiteral("trap_connections"), m_trapLoopback.connections()}};
    m_report.insert(QStringLiteral("engine"), engine);
    QCOMPARE(failedRefused, jobs);
    QCOMPARE(duplicates, 0);
    QCOMPARE(fileRequests, 0);
    QCOMPARE(m_trapLoopback.connections(), 0);
    QCOMPARE(filesUnder(rig.storage->temporaryDir()), QStringList());
    const auto integrity = rig.store->integrityCheck();
    QVERIFY2(integrity, qPrintable(integrity ? QString() : integrity.error().logText()));
}

QTEST_GUILESS_MAIN(TestFaultHostileUrls)
#include "tst_faulthostileurls.moc"

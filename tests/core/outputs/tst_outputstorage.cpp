// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// OutputStorage (sniff, full decode, SHA-256 path, atomic write), data: URIs, the URL policy and
// the error vocabulary, on real temporary folders; a real write failure through RLIMIT_FSIZE.
#include <QCryptographicHash>
#include <QFile>
#include <QImageReader>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include "core/outputs/datauri.h"
#include "core/outputs/outputerror.h"
#include "core/outputs/outputpolicy.h"
#include "core/outputs/outputstorage.h"
#include "tests/core/outputs/outputtestutil.h"

using namespace brieflow;
using namespace brieflow::test;

namespace {

QString sha256Of(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace

class TestOutputStorage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void storesEachFormat_data();
    void storesEachFormat();
    void sameBytesTwiceIsOneFile();
    void rejectsWhatIsNotAnImage_data();
    void rejectsWhatIsNotAnImage();
    void adoptTemporaryRenamesIntoPlace();
    void adoptTemporaryRemovesTheTempOnFailure();
    void adoptTemporaryReusesAnExistingFile();
    void pathForIsDerivedFromTheHashOnly();
    void removeStaleTemporaries();
    void magicBytes();
    void everyFormatIsReadableHere();
    void missingFormatsMessage();

    void dataUris_data();
    void dataUris();
    void dataUriLabelHidesThePayload();

    void urlPolicy_data();
    void urlPolicy();

    void loopbackPortsLimitTheSandbox();
    void hugeDeclaredDimensionsAreRefused();
    void errorVocabulary();
    void writeFailureIsStorageAndLeavesNothing();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<OutputStorage> m_storage;
};

void TestOutputStorage::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_storage = std::make_unique<OutputStorage>(m_dir->filePath(QStringLiteral("outputs")));
}

void TestOutputStorage::cleanup()
{
    // Whatever happened, nothing is left half-written.
    QCOMPARE(filesUnder(m_storage->temporaryDir()), QStringList());
    m_storage.reset();
    m_dir.reset();
}

void TestOutputStorage::storesEachFormat_data()
{
    QTest::addColumn<QByteArray>("format");
    QTest::addColumn<QString>("mime");
    QTest::addColumn<QString>("extension");
    QTest::newRow("png") << QByteArray("png") << QStringLiteral("image/png")
                         << QStringLiteral("png");
    QTest::newRow("jpeg") << QByteArray("jpeg") << QStringLiteral("image/jpeg")
                          << QStringLiteral("jpg");
    QTest::newRow("webp") << QByteArray("webp") << QStringLiteral("image/webp")
                          << QStringLiteral("webp");
}

void TestOutputStorage::storesEachFormat()
{
    QFETCH(QByteArray, format);
    QFETCH(QString, mime);
    QFETCH(QString, extension);
    const QByteArray bytes = encodeImage(testImage(48, 20), format.constData());
    QVERIFY(!bytes.isEmpty());

    const auto stored = m_storage->storeBytes(bytes, QStringLiteral("https://x/y"));
    QVERIFY2(stored.ok(), qPrintable(stored.ok() ? QString() : stored.error().logText()));
    QCOMPARE(stored->sha256, sha256Of(bytes));
    QCOMPARE(stored->mime, mime);
    QCOMPARE(stored->width, 48);
    QCOMPARE(stored->height, 20);
    QCOMPARE(stored->bytes, bytes.size());
    QCOMPARE(stored->sourceUrl, QStringLiteral("https://x/y"));
    QCOMPARE(stored->filePath, m_storage->pathFor(stored->sha256, extension));
    QVERIFY(stored->filePath.startsWith(m_storage->outputsDir() + QLatin1Char('/')
                                        + stored->sha256.left(2) + QLatin1Char('/')));
    QCOMPARE(readFile(stored->filePath), bytes);
}

void TestOutputStorage::sameBytesTwiceIsOneFile()
{
    const QByteArray bytes = pngBytes();
    const auto first = m_storage->storeBytes(bytes, QStringLiteral("a"));
    const auto second = m_storage->storeBytes(bytes, QStringLiteral("b"));
    QVERIFY(first.ok() && second.ok());
    QCOMPARE(first->filePath, second->filePath);
    QCOMPARE(second->sourceUrl, QStringLiteral("b"));
    QCOMPARE(storedFiles(*m_storage).size(), 1);
}

void TestOutputStorage::rejectsWhatIsNotAnImage_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("kind");
    const QByteArray png = pngBytes(200, 200);
    const auto invalid = static_cast<int>(OutputError::Kind::Invalid);
    QTest::newRow("empty") << QByteArray() << invalid;
    QTest::newRow("html") << QByteArray("<!doctype html><title>Not found</title>") << invalid;
    QTest::newRow("truncated png") << png.left(png.size() / 2) << invalid;
    QTest::newRow("png magic only") << png.left(8) << invalid;
    QTest::newRow("gif") << QByteArray("GIF89a\x01\x00\x01\x00\x00\x00\x00;", 14) << invalid;
    QTest::newRow("riff but not webp") << QByteArray("RIFF\x10\x00\x00\x00WAVEfmt ", 16) << invalid;
    QTest::newRow("jpeg magic then garbage")
        << QByteArray("\xff\xd8\xff\xe0garbagegarbagegarbage", 24) << invalid;
}

void TestOutputStorage::rejectsWhatIsNotAnImage()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, kind);
    const auto stored = m_storage->storeBytes(bytes, QStringLiteral("u"));
    QVERIFY(!stored.ok());
    QCOMPARE(static_cast<int>(stored.error().kind), kind);
    QVERIFY(!stored.error().retryable());
    QVERIFY(!stored.error().message.isEmpty());
    QCOMPARE(storedFiles(*m_storage), QStringList());
}

void TestOutputStorage::adoptTemporaryRenamesIntoPlace()
{
    const QByteArray bytes = encodeImage(testImage(33, 17), "jpeg");
    const QString temp = m_storage->newTemporaryPath();
    QVERIFY(temp.startsWith(m_storage->temporaryDir() + QLatin1Char('/')));
    QVERIFY(writeFile(temp, bytes));

    const auto stored = m_storage->adoptTemporary(temp, QStringLiteral("https://src"));
    QVERIFY2(stored.ok(), qPrintable(stored.ok() ? QString() : stored.error().logText()));
    QVERIFY(!QFile::exists(temp));
    QCOMPARE(stored->sha256, sha256Of(bytes)); // hashed here: no known hash given
    QCOMPARE(stored->mime, QStringLiteral("image/jpeg"));
    QCOMPARE(stored->width, 33);
    QCOMPARE(stored->height, 17);
    QCOMPARE(readFile(stored->filePath), bytes);
}

void TestOutputStorage::adoptTemporaryRemovesTheTempOnFailure()
{
    const QByteArray png = pngBytes(100, 100);
    const QString temp = m_storage->newTemporaryPath();
    QVERIFY(writeFile(temp, png.left(png.size() - 30)));
    const auto stored = m_storage->adoptTemporary(temp, QStringLiteral("u"));
    QVERIFY(!stored.ok());
    QCOMPARE(toString(stored.error().kind), toString(OutputError::Kind::Invalid));
    QVERIFY(!QFile::exists(temp));
    QCOMPARE(storedFiles(*m_storage), QStringList());
}

void TestOutputStorage::adoptTemporaryReusesAnExistingFile()
{
    const QByteArray bytes = pngBytes();
    const auto first = m_storage->storeBytes(bytes, QStringLiteral("a"));
    QVERIFY(first.ok());
    const QDateTime before = QFileInfo(first->filePath).lastModified();
    const QString temp = m_storage->newTemporaryPath();
    QVERIFY(writeFile(temp, bytes));
    const auto second = m_storage->adoptTemporary(temp, QStringLiteral("b"), first->sha256);
    QVERIFY(second.ok());
    QCOMPARE(second->filePath, first->filePath);
    QVERIFY(!QFile::exists(temp));
    QCOMPARE(QFileInfo(first->filePath).lastModified(), before);
    QCOMPARE(storedFiles(*m_storage).size(), 1);
}

void TestOutputStorage::pathForIsDerivedFromTheHashOnly()
{
    const QString sha = sha256Of("x");
    QCOMPARE(m_storage->pathFor(sha, QStringLiteral("png")),
             m_storage->outputsDir() + QLatin1Char('/') + sha.left(2) + QLatin1Char('/') + sha
                 + QStringLiteral(".png"));
    QVERIFY(
        m_storage->pathFor(QStringLiteral("../../etc/passwd"), QStringLiteral("png")).isEmpty());
    QVERIFY(m_storage->pathFor(sha.toUpper(), QStringLiteral("png")).isEmpty());
    QVERIFY(m_storage->pathFor(sha, QStringLiteral("../x")).isEmpty());
    QVERIFY(m_storage->pathFor(sha, QString()).isEmpty());
    QVERIFY(QDir::isAbsolutePath(m_storage->outputsDir()));
    QCOMPARE(m_storage->temporaryDir(), m_storage->outputsDir() + QStringLiteral("/.partial"));
}

void TestOutputStorage::removeStaleTemporaries()
{
    QCOMPARE(m_storage->removeStaleTemporaries(), 0); // no folder yet
    const QString a = m_storage->newTemporaryPath();
    const QString b = m_storage->newTemporaryPath();
    QVERIFY(a != b);
    QVERIFY(writeFile(a, "partial"));
    QVERIFY(writeFile(b, "partial"));
    const auto kept = m_storage->storeBytes(pngBytes(), QStringLiteral("u"));
    QVERIFY(kept.ok());

    // A live download (fresh file) survives when an age is given.
    QCOMPARE(m_storage->removeStaleTemporaries(std::chrono::minutes(10)), 0);
    QCOMPARE(m_storage->removeStaleTemporaries(), 2);
    QCOMPARE(filesUnder(m_storage->temporaryDir()), QStringList());
    QVERIFY(QFile::exists(kept->filePath)); // stored outputs are never touched
}

void TestOutputStorage::magicBytes()
{
    QCOMPARE(imageMimeFromMagic(pngBytes()), QStringLiteral("image/png"));
    QCOMPARE(imageMimeFromMagic(encodeImage(testImage(4, 4), "jpeg")),
             QStringLiteral("image/jpeg"));
    QCOMPARE(imageMimeFromMagic(encodeImage(testImage(4, 4), "webp")),
             QStringLiteral("image/webp"));
    QCOMPARE(imageMimeFromMagic("<html>"), QString());
    QCOMPARE(imageMimeFromMagic("\x89PN"), QString());
    QCOMPARE(imageMimeFromMagic("RIFF1234WEB"), QString());
}

void TestOutputStorage::everyFormatIsReadableHere()
{
    // qt6-image-formats-plugins is installed on this machine: the start-up check passes.
    QCOMPARE(missingImageFormats(), QStringList());
    QVERIFY(missingImageFormatsMessage({}).isEmpty());
}

void TestOutputStorage::missingFormatsMessage()
{
    const QString message = missingImageFormatsMessage({QStringLiteral("webp")});
    QVERIFY(message.startsWith(QStringLiteral("WebP images can't be read")));
    QVERIFY(message.contains(QStringLiteral("qt6-image-formats-plugins")));
}

void TestOutputStorage::dataUris_data()
{
    QTest::addColumn<QString>("uri");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("kind");
    const QByteArray png = pngBytes(12, 9);
    const int none = -1;
    QTest::newRow("base64 png") << QStringLiteral("data:image/png;base64,")
                                       + QString::fromLatin1(png.toBase64())
                                << true << none;
    QTest::newRow("base64, wrong declared type")
        << QStringLiteral("data:application/octet-stream;base64,")
               + QString::fromLatin1(png.toBase64())
        << true << none;
    QTest::newRow("percent-encoded png")
        << QStringLiteral("data:image/png,") + QString::fromLatin1(png.toPercentEncoding()) << true
        << none;
    QTest::newRow("garbage base64") << QStringLiteral("data:image/png;base64,!!!not base64***")
                                    << false << static_cast<int>(OutputError::Kind::Invalid);
    QTest::newRow("base64 of html")
        << QStringLiteral("data:image/png;base64,")
               + QString::fromLatin1(QByteArray("<html>hello</html>").toBase64())
        << false << static_cast<int>(OutputError::Kind::Invalid);
    QTest::newRow("no comma") << QStringLiteral("data:image/png;base64") << false
                              << static_cast<int>(OutputError::Kind::Invalid);
    QTest::newRow("empty") << QStringLiteral("data:,") << false
                           << static_cast<int>(OutputError::Kind::Invalid);
}

void TestOutputStorage::dataUris()
{
    QFETCH(QString, uri);
    QFETCH(bool, ok);
    QFETCH(int, kind);
    QVERIFY(isDataUri(uri));
    const auto bytes = decodeDataUri(uri, 1024 * 1024);
    Result<StoredOutput, OutputError> stored =
        bytes ? m_storage->storeBytes(*bytes, dataUriLabel(uri))
              : Result<StoredOutput, OutputError>(fail(bytes.error()));
    QCOMPARE(stored.ok(), ok);
    if (ok) {
        QCOMPARE(stored->mime, QStringLiteral("image/png"));
        QCOMPARE(stored->width, 12);
        QCOMPARE(stored->height, 9);
    } else {
        QCOMPARE(static_cast<int>(stored.error().kind), kind);
    }
}

void TestOutputStorage::dataUriLabelHidesThePayload()
{
    const QString uri =
        QStringLiteral("data:image/png;base64,") + QString::fromLatin1(pngBytes().toBase64());
    QCOMPARE(dataUriLabel(uri), QStringLiteral("data:image/png;base64"));
    // Over the cap: refused before decoding.
    const auto big = decodeDataUri(uri, 10);
    QVERIFY(!big.ok());
    QCOMPARE(toString(big.error().kind), toString(OutputError::Kind::TooLarge));
    QVERIFY(!isDataUri(QStringLiteral("https://replicate.delivery/x.png")));
}

void TestOutputStorage::urlPolicy_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("loopback");
    QTest::addColumn<bool>("allowed");
    const bool yes = true;
    const bool no = false;
    auto row = [](const char *name, const char *url, bool loopback, bool allowed) {
        QTest::newRow(name) << QString::fromLatin1(url) << loopback << allowed;
    };
    row("delivery", "https://replicate.delivery/pbxt/abc/out-0.png", no, yes);
    row("delivery subdomain", "https://pbxt.replicate.delivery/abc/out-0.webp", no, yes);
    row("delivery deep subdomain", "https://a.b.replicate.delivery/x.png", no, yes);
    row("delivery upper case", "https://REPLICATE.Delivery/x.png", no, yes);
    row("delivery port 443", "https://replicate.delivery:443/x.png", no, yes);
    row("delivery other port", "https://replicate.delivery:8443/x.png", no, no);
    row("http delivery", "http://replicate.delivery/x.png", no, no);
    row("look-alike suffix", "https://evilreplicate.delivery/x.png", no, no);
    row("look-alike prefix", "https://replicate.delivery.evil.com/x.png", no, no);
    row("user info", "https://user:pw@replicate.delivery/x.png", no, no);
    row("api host", "https://api.replicate.com/v1/files/x", no, no);
    row("other host", "https://example.com/x.png", no, no);
    row("metadata", "http://169.254.169.254/latest/meta-data/", no, no);
    row("metadata with loopback on", "http://169.254.169.254/latest/meta-data/", yes, no);
    row("file", "file:///etc/passwd", yes, no);
    row("ftp", "ftp://replicate.delivery/x.png", no, no);
    row("relative", "/x.png", yes, no);
    row("loopback off", "http://127.0.0.1:8080/x.png", no, no);
    row("loopback on", "http://127.0.0.1:8080/x.png", yes, yes);
    row("loopback https", "https://127.0.0.1:8443/x.png", yes, yes);
    row("localhost", "http://localhost:1/x.png", yes, yes);
    row("ipv6 loopback", "http://[::1]:8080/x.png", yes, yes);
    row("other 127 address", "http://127.0.0.2:8080/x.png", yes, no);
    row("private address", "http://10.0.0.1/x.png", yes, no);
}

void TestOutputStorage::urlPolicy()
{
    QFETCH(QString, url);
    QFETCH(bool, loopback);
    QFETCH(bool, allowed);
    OutputPolicy policy;
    policy.allowLoopback = loopback;
    const auto check = checkOutputUrl(QUrl(url), policy);
    QCOMPARE(check.ok(), allowed);
    if (!allowed) {
        QCOMPARE(toString(check.error().kind), toString(OutputError::Kind::Refused));
        QVERIFY(!check.error().detail.contains(QStringLiteral("pw")));
    }
}

void TestOutputStorage::loopbackPortsLimitTheSandbox()
{
    OutputPolicy policy;
    policy.allowLoopback = true;
    policy.loopbackPorts = {8080};
    const auto allowed = [&policy](const char *url) {
        return checkOutputUrl(QUrl(QString::fromLatin1(url)), policy).ok();
    };
    QVERIFY(allowed("http://127.0.0.1:8080/x.png"));
    QVERIFY(allowed("http://localhost:8080/x.png"));
    QVERIFY(allowed("http://[::1]:8080/x.png"));
    QVERIFY(!allowed("http://127.0.0.1:8081/x.png"));
    QVERIFY(!allowed("http://127.0.0.1/x.png"));          // port 80
    QVERIFY(!allowed("https://localhost/x.png"));         // port 443
    QVERIFY(!allowed("http://0x7f000001:22/x.png"));      // 127.0.0.1 written in hex
    QVERIFY(allowed("https://replicate.delivery/x.png")); // the allowlist is untouched
    const auto refused = checkOutputUrl(QUrl(QStringLiteral("http://127.0.0.1:6379/")), policy);
    QVERIFY(!refused);
    QCOMPARE(toString(refused.error().kind), toString(OutputError::Kind::Refused));
}

void TestOutputStorage::hugeDeclaredDimensionsAreRefused()
{
    // 8200 x 8200 one-bit pixels: a small PNG whose decode would need 269 MB as 32-bit pixels.
    QImage big(8200, 8200, QImage::Format_Mono);
    big.fill(0);
    const QByteArray bytes = encodeImage(big, "png", 0); // quality 0: the best compression
    QVERIFY(bytes.size() < 1024 * 1024);
    const auto stored = m_storage->storeBytes(bytes, QStringLiteral("test"));
    QVERIFY(!stored);
    QCOMPARE(toString(stored.error().kind), toString(OutputError::Kind::TooLarge));
    QVERIFY(stored.error().detail.contains(QStringLiteral("8200x8200")));
    QCOMPARE(storedFiles(*m_storage), QStringList());
}

void TestOutputStorage::errorVocabulary()
{
    using K = OutputError::Kind;
    const QList<QPair<K, QString>> names{
        {K::Refused, QStringLiteral("output_refused")},
        {K::Expired, QStringLiteral("output_expired")},
        {K::TooLarge, QStringLiteral("output_too_large")},
        {K::Invalid, QStringLiteral("output_invalid")},
        {K::FormatUnsupported, QStringLiteral("output_format_unsupported")},
        {K::Network, QStringLiteral("output_download_failed")},
        {K::Storage, QStringLiteral("output_storage_failed")},
    };
    for (const auto &[kind, name] : names) {
        QCOMPARE(toString(kind), name);
        const OutputError error = makeOutputError(kind, QStringLiteral("detail"));
        QCOMPARE(error.retryable(), kind == K::Network || kind == K::Storage);
        QVERIFY(!error.message.isEmpty());
        QVERIFY(error.logText().startsWith(name));
    }
    // The default policy: Replicate's delivery hosts, as seen in recorded responses.
    const OutputPolicy policy;
    QCOMPARE(policy.allowedHosts, QStringList({QStringLiteral("replicate.delivery"),
                                               QStringLiteral("*.replicate.delivery")}));
    QVERIFY(!policy.allowLoopback);
    QCOMPARE(policy.maxBytes, 50LL * 1024 * 1024);
}

void TestOutputStorage::writeFailureIsStorageAndLeavesNothing()
{
#ifdef Q_OS_UNIX
    // 256×256 of noise is ~260 KB of PNG; let the process write at most 32 KB per file.
    const QByteArray bytes = encodeImage(testImage(256, 256, true), "png");
    QVERIFY(bytes.size() > 128 * 1024);
    Result<StoredOutput, OutputError> stored =
        fail(makeOutputError(OutputError::Kind::Network, {}));
    {
        FileSizeLimit limit(32 * 1024);
        QVERIFY(limit.ok());
        stored = m_storage->storeBytes(bytes, QStringLiteral("u"));
    }
    QVERIFY(!stored.ok());
    QCOMPARE(toString(stored.error().kind), toString(OutputError::Kind::Storage));
    QVERIFY(stored.error().retryable());
    // EFBIG from the file-size limit counts as a full disk, as ENOSPC and EDQUOT do.
    QVERIFY(stored.error().diskFull);
    QVERIFY(stored.error().message.startsWith(QStringLiteral("The disk is full")));
    QVERIFY(!stored.error().message.contains(QStringLiteral(".part")));
    QVERIFY(!stored.error().detail.isEmpty());
    QCOMPARE(filesUnder(m_storage->temporaryDir()), QStringList());
    QCOMPARE(storedFiles(*m_storage), QStringList());

    // Space is back: the same bytes store.
    QVERIFY(m_storage->storeBytes(bytes, QStringLiteral("u")).ok());
#else
    QSKIP("RLIMIT_FSIZE is POSIX");
#endif
}

QTEST_GUILESS_MAIN(TestOutputStorage)
#include "tst_outputstorage.moc"

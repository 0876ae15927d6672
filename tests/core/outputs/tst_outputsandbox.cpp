// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// OutputDownloader against the real Replicate sandbox over loopback: PNG, JPEG and WebP outputs
// land under their SHA-256 path with exactly the bytes the sandbox served; sync-mode data: URIs
// take the same path; a file removed after the retention window is output_expired.
#include <QCryptographicHash>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "core/outputs/outputdownloader.h"
#include "core/sandbox/sandboxserver.h"
#include "tests/core/outputs/outputtestutil.h"
#include "tests/sandbox/sandboxtestclient.h"

using namespace brieflow;
using namespace brieflow::test;
using sandbox::SandboxConfig;
using sandbox::SandboxServer;
using sandbox::test::SandboxTestClient;

namespace {

const QString kCreate = QStringLiteral("/v1/models/black-forest-labs/flux-schnell/predictions");

QByteArray imageInput(const QString &format, int outputs)
{
    const QJsonObject input{{QStringLiteral("prompt"), QStringLiteral("a red shoe on sand")},
                            {QStringLiteral("aspect_ratio"), QStringLiteral("16:9")},
                            {QStringLiteral("num_outputs"), outputs},
                            {QStringLiteral("output_format"), format}};
    return QJsonDocument(QJsonObject{{QStringLiteral("input"), input}})
        .toJson(QJsonDocument::Compact);
}

QString sha256Of(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

} // namespace

class TestOutputSandbox : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void downloadsEachFormat_data();
    void downloadsEachFormat();
    void sameFileTwiceIsOneFile();
    void syncModeDataUrisTakeTheSamePath();
    void removedFileIsExpired();

private:
    /** Creates an image prediction, waits for it and returns its id and output URLs. */
    QPair<QString, QStringList> predict(const QString &format, int outputs);

    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<SandboxTestClient> m_client;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<OutputStorage> m_storage;
    std::unique_ptr<OutputDownloader> m_downloader;
};

void TestOutputSandbox::init()
{
    m_server = std::make_unique<SandboxServer>(SandboxConfig::forTests());
    QVERIFY(m_server->start());
    m_client = std::make_unique<SandboxTestClient>(*m_server);
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_storage = std::make_unique<OutputStorage>(m_dir->filePath(QStringLiteral("outputs")));
    OutputPolicy policy;
    policy.allowLoopback = true; // the sandbox is http://127.0.0.1
    m_downloader = std::make_unique<OutputDownloader>(*m_storage, policy);
}

void TestOutputSandbox::cleanup()
{
    m_downloader.reset();
    QCOMPARE(filesUnder(m_storage->temporaryDir()), QStringList());
    m_storage.reset();
    m_dir.reset();
    m_client.reset();
    m_server.reset();
}

QPair<QString, QStringList> TestOutputSandbox::predict(const QString &format, int outputs)
{
    const auto created = m_client->post(kCreate, imageInput(format, outputs));
    const QString id = created.json().value(QStringLiteral("id")).toString();
    const QJsonObject done = m_client->waitUntilDone(id);
    QStringList urls;
    for (const QJsonValue &url : done.value(QStringLiteral("output")).toArray())
        urls.append(url.toString());
    return {id, urls};
}

void TestOutputSandbox::downloadsEachFormat_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("mime");
    QTest::addColumn<QString>("extension");
    QTest::newRow("png") << QStringLiteral("png") << QStringLiteral("image/png")
                         << QStringLiteral("png");
    QTest::newRow("jpg") << QStringLiteral("jpg") << QStringLiteral("image/jpeg")
                         << QStringLiteral("jpg");
    QTest::newRow("webp") << QStringLiteral("webp") << QStringLiteral("image/webp")
                          << QStringLiteral("webp");
}

void TestOutputSandbox::downloadsEachFormat()
{
    QFETCH(QString, format);
    QFETCH(QString, mime);
    QFETCH(QString, extension);
    const auto [id, urls] = predict(format, 2);
    QCOMPARE(urls.size(), 2);
    const sandbox::Prediction *served = m_server->prediction(id);
    QVERIFY(served);
    QCOMPARE(served->files.size(), 2);

    for (int i = 0; i < urls.size(); ++i) {
        QVERIFY(urls.at(i).startsWith(m_server->origin() + QStringLiteral("/files/")));
        const auto outcome = fetchAndWait(*m_downloader, urls.at(i));
        QVERIFY(outcome);
        QVERIFY2(outcome->ok(), qPrintable(outcome->ok() ? QString() : outcome->error().logText()));
        const StoredOutput &stored = outcome->value();
        const sandbox::OutputFile &file = served->files.at(i);
        QCOMPARE(stored.sha256, file.sha256);
        QCOMPARE(stored.mime, mime);
        QCOMPARE(stored.bytes, file.data.size());
        const QImage reference = QImage::fromData(file.data);
        QVERIFY(!reference.isNull());
        QCOMPARE(stored.width, reference.width());
        QCOMPARE(stored.height, reference.height());
        QVERIFY(stored.width > stored.height); // 16:9
        QCOMPARE(stored.filePath, m_storage->pathFor(file.sha256, extension));
        QFile onDisk(stored.filePath);
        QVERIFY(onDisk.open(QIODevice::ReadOnly));
        QCOMPARE(sha256Of(onDisk.readAll()), file.sha256);
        QCOMPARE(stored.sourceUrl, urls.at(i));
    }
    QCOMPARE(storedFiles(*m_storage).size(), 2);
}

void TestOutputSandbox::sameFileTwiceIsOneFile()
{
    const auto [id, urls] = predict(QStringLiteral("webp"), 1);
    QCOMPARE(urls.size(), 1);
    // Twice at once and once more afterwards.
    QObject context;
    QList<StoredOutput> results;
    for (int i = 0; i < 2; ++i) {
        m_downloader->fetch(urls.first(), &context,
                            [&results](const Result<StoredOutput, OutputError> &r) {
                                if (r.ok())
                                    results.append(r.value());
                            });
    }
    QVERIFY(QTest::qWaitFor([&results] { return results.size() == 2; }, 10000));
    const auto third = fetchAndWait(*m_downloader, urls.first());
    QVERIFY(third && third->ok());
    QCOMPARE(results.at(0).filePath, results.at(1).filePath);
    QCOMPARE(third->value().filePath, results.at(0).filePath);
    QCOMPARE(storedFiles(*m_storage), QStringList{results.at(0).filePath});
    QCOMPARE(results.at(0).sha256, m_server->prediction(id)->files.first().sha256);
}

void TestOutputSandbox::syncModeDataUrisTakeTheSamePath()
{
    const auto created =
        m_client->post(kCreate, imageInput(QStringLiteral("png"), 1), {{"Prefer", "wait"}});
    QCOMPARE(created.status, 201);
    const QJsonObject p = created.json();
    const QString uri = p.value(QStringLiteral("output")).toArray().at(0).toString();
    QVERIFY(uri.startsWith(QStringLiteral("data:image/png;base64,")));
    const auto outcome = fetchAndWait(*m_downloader, uri);
    QVERIFY(outcome);
    QVERIFY2(outcome->ok(), qPrintable(outcome->ok() ? QString() : outcome->error().logText()));
    const sandbox::Prediction *served =
        m_server->prediction(p.value(QStringLiteral("id")).toString());
    QVERIFY(served && !served->files.isEmpty());
    QCOMPARE(outcome->value().sha256, served->files.first().sha256);
    QCOMPARE(outcome->value().mime, QStringLiteral("image/png"));
    QCOMPARE(outcome->value().sourceUrl, QStringLiteral("data:image/png;base64"));
}

void TestOutputSandbox::removedFileIsExpired()
{
    m_server->setDataTtl(10 * 1000);
    const auto [id, urls] = predict(QStringLiteral("png"), 1);
    QCOMPARE(urls.size(), 1);
    m_server->advanceClock(11 * 1000); // Replicate deleted it
    const auto outcome = fetchAndWait(*m_downloader, urls.first());
    QVERIFY(outcome);
    QVERIFY(!outcome->ok());
    QCOMPARE(toString(outcome->error().kind), toString(OutputError::Kind::Expired));
    QCOMPARE(toString(outcome->error().kind), QStringLiteral("output_expired"));
    QCOMPARE(storedFiles(*m_storage), QStringList());
}

QTEST_GUILESS_MAIN(TestOutputSandbox)
#include "tst_outputsandbox.moc"

// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// `brieflow-cli export` and `recall`, run as a child process on a data folder of finished jobs
// with real images (tests/core/export/exportfixture.h).
#include <QDir>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "core/export/imagemetadata.h"
#include "core/export/zipbundle.h"
#include "tests/core/export/exportfixture.h"

using namespace brieflow;
using brieflow::test::ExportFixture;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run runCli(const QStringList &args)
{
    QProcess p;
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.remove(QStringLiteral("BRIEFLOW_DATA_DIR"));
    e.remove(QStringLiteral("QT_QPA_PLATFORM")); // the CLI picks offscreen itself
    p.setProcessEnvironment(e);
    p.start(QStringLiteral(BRIEFLOW_CLI_BINARY), args);
    if (!p.waitForStarted(10000) || !p.waitForFinished(120000)) {
        p.kill();
        return {};
    }
    Run r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QStringList everything(const QString &folder)
{
    QStringList names = QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::System
                                               | QDir::NoDotAndDotDot);
    names.sort();
    return names;
}

QByteArray readAll(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestCliExport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void exportsJobsWithMetadata();
    void exportsAZipWithSheets();
    void conflictsExitTwoAndKeepFiles();
    void policiesResolveConflicts();
    void usageErrors_data();
    void usageErrors();
    void jobWithoutImagesIsAnError();
    void recallPrintsTheBrief();
    void recallSubmitQueuesAJob();
    void recallFromPromptStartsAtTheImages();
    void recallWithoutMetadataIsAnError();

private:
    std::unique_ptr<ExportFixture> m_fixture;
    std::unique_ptr<QTemporaryDir> m_out;
    QStringList data() const { return {QStringLiteral("--data-dir"), m_fixture->path()}; }
    QString job(int i) const { return m_fixture->jobs().at(i).id.toString(); }
    /** Exports job @p i as JPEG into the output folder; returns the image's path. */
    QString exportedImage(int i)
    {
        const Run r = runCli(data()
                             + QStringList{QStringLiteral("export"), job(i), QStringLiteral("--to"),
                                           m_out->path(), QStringLiteral("--format"),
                                           QStringLiteral("jpeg")});
        if (r.exitCode != 0)
            return {};
        for (const QString &line : r.out.split(QLatin1Char('\n'))) {
            if (line.endsWith(QStringLiteral(".jpg")))
                return line;
        }
        return {};
    }
};

void TestCliExport::init()
{
    m_fixture = std::make_unique<ExportFixture>(4);
    QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
    m_out = std::make_unique<QTemporaryDir>();
}

void TestCliExport::cleanup()
{
    m_fixture.reset();
    m_out.reset();
}

void TestCliExport::exportsJobsWithMetadata()
{
    const Run r =
        runCli(data()
               + QStringList{QStringLiteral("export"), job(0), job(2), QStringLiteral("--to"),
                             m_out->path(), QStringLiteral("--format"), QStringLiteral("webp"),
                             QStringLiteral("--quality"), QStringLiteral("80"),
                             QStringLiteral("--template"), QStringLiteral("{product}_{index}")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    // Job 0 has 2 images, job 2 one: 3 images and 3 sidecars.
    const QStringList written = r.out.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(written.size(), 6);
    QCOMPARE(
        everything(m_out->path()),
        (QStringList{QStringLiteral("Café Ñandú_01.json"), QStringLiteral("Café Ñandú_01.webp"),
                     QStringLiteral("Café Ñandú_02.json"), QStringLiteral("Café Ñandú_02.webp"),
                     QStringLiteral("抹茶ラテ「緑の朝」_01.json"),
                     QStringLiteral("抹茶ラテ「緑の朝」_01.webp")}));
    QVERIFY(r.err.contains(QStringLiteral("[1/6]")));
    QVERIFY(r.err.contains(QStringLiteral("6 files written")));
    for (const QString &path : written) {
        QVERIFY(QFileInfo(path).isAbsolute());
        if (!path.endsWith(QStringLiteral(".webp")))
            continue;
        QImageReader reader(path);
        QCOMPARE(reader.format(), QByteArray("webp"));
        QVERIFY(!reader.read().isNull());
        const auto metadata = readEmbeddedMetadata(path);
        QVERIFY(metadata.ok());
        QVERIFY(metadata->lineage.has_value());
        QVERIFY(metadata->lineage->jobId == m_fixture->jobs().at(0).id
                || metadata->lineage->jobId == m_fixture->jobs().at(2).id);
    }

    // --json lists the same files.
    QTemporaryDir again;
    const Run json =
        runCli(data()
               + QStringList{QStringLiteral("export"), job(1), QStringLiteral("--to"), again.path(),
                             QStringLiteral("--no-sidecars"), QStringLiteral("--json")});
    QCOMPARE(json.exitCode, 0);
    const QJsonObject o = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("done"));
    QCOMPARE(o.value(QStringLiteral("written")).toArray().size(), 1);
    QCOMPARE(everything(again.path()).size(), 1);
}

void TestCliExport::exportsAZipWithSheets()
{
    const Run r =
        runCli(data()
               + QStringList{QStringLiteral("export"), job(0), job(3), QStringLiteral("--to"),
                             m_out->path(), QStringLiteral("--zip"), QStringLiteral("--zip-name"),
                             QStringLiteral("spring"), QStringLiteral("--pdf")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(everything(m_out->path()), QStringList{QStringLiteral("spring.zip")});
    const auto entries = readZip(m_out->filePath(QStringLiteral("spring.zip")));
    QVERIFY(entries.ok());
    QCOMPARE(entries->size(), 5 + 5 + 2); // images, sidecars, one sheet per job
    int sheets = 0;
    for (const ZipEntry &e : entries.value()) {
        if (e.name.endsWith(QStringLiteral(".pdf"))) {
            ++sheets;
            QVERIFY(e.data.startsWith("%PDF-"));
        } else if (e.name.endsWith(QStringLiteral(".json"))) {
            QVERIFY(lineageFromJson(e.data).ok());
        }
    }
    QCOMPARE(sheets, 2);
}

void TestCliExport::conflictsExitTwoAndKeepFiles()
{
    QVERIFY(!exportedImage(1).isEmpty());
    const QStringList before = everything(m_out->path());
    QFile existing(m_out->filePath(before.first()));
    const QByteArray bytes = readAll(existing.fileName());
    const Run r =
        runCli(data()
               + QStringList{QStringLiteral("export"), job(1), QStringLiteral("--to"),
                             m_out->path(), QStringLiteral("--format"), QStringLiteral("jpeg")});
    QCOMPARE(r.exitCode, 2);
    for (const QString &name : before)
        QVERIFY2(r.err.contains(name), qPrintable(r.err));
    QVERIFY(r.err.contains(QStringLiteral("--keep-both")));
    QCOMPARE(everything(m_out->path()), before);
    QCOMPARE(readAll(existing.fileName()), bytes);

    const Run json = runCli(data()
                            + QStringList{QStringLiteral("export"), job(1), QStringLiteral("--to"),
                                          m_out->path(), QStringLiteral("--format"),
                                          QStringLiteral("jpeg"), QStringLiteral("--json")});
    QCOMPARE(json.exitCode, 2);
    const QJsonObject o = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QCOMPARE(o.value(QStringLiteral("conflicts")).toArray().size(), before.size());
}

void TestCliExport::policiesResolveConflicts()
{
    QVERIFY(!exportedImage(1).isEmpty());
    QCOMPARE(everything(m_out->path()).size(), 2);
    const QStringList base =
        data() + QStringList{QStringLiteral("export"),   job(1),
                             QStringLiteral("--to"),     m_out->path(),
                             QStringLiteral("--format"), QStringLiteral("jpeg")};
    const Run keep = runCli(base + QStringList{QStringLiteral("--keep-both")});
    QCOMPARE(keep.exitCode, 0);
    QCOMPARE(everything(m_out->path()).size(), 4);
    QVERIFY(keep.out.contains(QStringLiteral(" (2).jpg")));
    const Run skip = runCli(base + QStringList{QStringLiteral("--skip-existing")});
    QCOMPARE(skip.exitCode, 0);
    QVERIFY(skip.err.contains(QStringLiteral("skipped")));
    QCOMPARE(everything(m_out->path()).size(), 4);
    const Run replace = runCli(base + QStringList{QStringLiteral("--overwrite")});
    QCOMPARE(replace.exitCode, 0);
    QCOMPARE(everything(m_out->path()).size(), 4);
    const Run both = runCli(
        base + QStringList{QStringLiteral("--overwrite"), QStringLiteral("--skip-existing")});
    QCOMPARE(both.exitCode, 2);
}

void TestCliExport::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("says");
    QTest::newRow("no job") << QStringList{QStringLiteral("--to"), QStringLiteral("/tmp")}
                            << QStringLiteral("needs a job id");
    QTest::newRow("no folder") << QStringList{QStringLiteral("JOB")} << QStringLiteral("--to");
    QTest::newRow("missing folder") << QStringList{QStringLiteral("JOB"), QStringLiteral("--to"),
                                                   QStringLiteral("/nonexistent/brieflow")}
                                    << QStringLiteral("no folder");
    QTest::newRow("bad format") << QStringList{QStringLiteral("JOB"), QStringLiteral("--to"),
                                               QStringLiteral("OUT"), QStringLiteral("--format"),
                                               QStringLiteral("gif")}
                                << QStringLiteral("unknown format");
    QTest::newRow("bad quality") << QStringList{QStringLiteral("JOB"), QStringLiteral("--to"),
                                                QStringLiteral("OUT"), QStringLiteral("--quality"),
                                                QStringLiteral("0")}
                                 << QStringLiteral("--quality");
    QTest::newRow("unknown placeholder")
        << QStringList{QStringLiteral("JOB"), QStringLiteral("--to"), QStringLiteral("OUT"),
                       QStringLiteral("--template"), QStringLiteral("{seed}")}
        << QStringLiteral("{seed}");
    QTest::newRow("unknown job") << QStringList{
        QStringLiteral("0192f0c4-0000-7000-8000-000000000000"), QStringLiteral("--to"),
        QStringLiteral("OUT")} << QStringLiteral("no job");
}

void TestCliExport::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, says);
    for (QString &a : args) {
        if (a == QLatin1String("JOB"))
            a = job(0);
        else if (a == QLatin1String("OUT"))
            a = m_out->path();
    }
    const Run r = runCli(data() + QStringList{QStringLiteral("export")} + args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(says), qPrintable(r.err));
    QCOMPARE(everything(m_out->path()), QStringList());
}

void TestCliExport::jobWithoutImagesIsAnError()
{
    Brief brief = m_fixture->jobs().at(0).brief;
    auto pending = submitBrief(m_fixture->store(), brief, QStringLiteral("test"));
    QVERIFY(pending.ok());
    const Run r = runCli(data()
                         + QStringList{QStringLiteral("export"), pending->id.toString(),
                                       QStringLiteral("--to"), m_out->path()});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("has no images")), qPrintable(r.err));
    QVERIFY(r.err.contains(QStringLiteral("pending")));
}

void TestCliExport::recallPrintsTheBrief()
{
    const QString image = exportedImage(0);
    QVERIFY(!image.isEmpty());
    const auto &made = m_fixture->jobs().at(0);
    const Run r = runCli({QStringLiteral("recall"), image});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QStringLiteral("Product: Café Ñandú")));
    QVERIFY(r.out.contains(made.brief.audience));
    QVERIFY(r.out.contains(made.imagePrompt));
    QVERIFY(r.out.contains(QStringLiteral("  Idea: The ritual of mate")));
    QVERIFY(r.out.contains(made.id.toString()));

    const Run json = runCli({QStringLiteral("recall"), image, QStringLiteral("--json")});
    QCOMPARE(json.exitCode, 0);
    const QJsonObject o = QJsonDocument::fromJson(json.out.toUtf8()).object();
    const QByteArray lineage =
        QJsonDocument(o.value(QStringLiteral("lineage")).toObject()).toJson();
    const auto parsed = lineageFromJson(lineage);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->brief, made.brief);
    QCOMPARE(parsed->conceptText, made.conceptText);
}

void TestCliExport::recallSubmitQueuesAJob()
{
    const QString image = exportedImage(2);
    QVERIFY(!image.isEmpty());
    const int before = m_fixture->store().countJobs(JobQuery{}).value();
    const Run r = runCli(data()
                         + QStringList{QStringLiteral("recall"), image, QStringLiteral("--submit"),
                                       QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject queued =
        QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("queued")).toObject();
    const JobId id(queued.value(QStringLiteral("id")).toString());
    QCOMPARE(m_fixture->store().countJobs(JobQuery{}).value(), before + 1);
    const auto job = m_fixture->store().job(id);
    QVERIFY(job.ok() && job->has_value());
    QCOMPARE(briefOfJob(**job), m_fixture->jobs().at(2).brief);
    QCOMPARE(toString((*job)->status), toString(JobStatus::Pending));
}

void TestCliExport::recallFromPromptStartsAtTheImages()
{
    const QString image = exportedImage(0);
    QVERIFY(!image.isEmpty());
    const Run r = runCli(data()
                         + QStringList{QStringLiteral("recall"), image, QStringLiteral("--submit"),
                                       QStringLiteral("--from-prompt"), QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const JobId id(QJsonDocument::fromJson(r.out.toUtf8())
                       .object()
                       .value(QStringLiteral("queued"))
                       .toObject()
                       .value(QStringLiteral("id"))
                       .toString());
    const auto steps = m_fixture->store().steps(id);
    QVERIFY(steps.ok());
    QCOMPARE(steps->size(), 4);
    QCOMPARE(toString(steps->at(0).status), toString(StepStatus::Succeeded));
    QCOMPARE(toString(steps->at(1).status), toString(StepStatus::Succeeded));
    QCOMPARE(textOfStepOutput(steps->at(1).outputPayload), m_fixture->jobs().at(0).imagePrompt);
    QCOMPARE(toString(steps->at(2).status), toString(StepStatus::Pending));

    const Run usage = runCli({QStringLiteral("recall"), image, QStringLiteral("--from-prompt")});
    QCOMPARE(usage.exitCode, 2);
}

void TestCliExport::recallWithoutMetadataIsAnError()
{
    const QString plain = m_out->filePath(QStringLiteral("plain.png"));
    QVERIFY(ExportFixture::makePixels(0, 0, 32, 32, false).save(plain));
    const Run r = runCli({QStringLiteral("recall"), plain});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("no Brieflow metadata")), qPrintable(r.err));
    const Run missing =
        runCli({QStringLiteral("recall"), m_out->filePath(QStringLiteral("x.png"))});
    QCOMPARE(missing.exitCode, 2);
}

QTEST_GUILESS_MAIN(TestCliExport)
#include "tst_cliexport.moc"

// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The exporter on a store of finished jobs with real image files: plans, every format with its
// metadata and sidecar, conflicts and policies, hostile names, ZIP and PDF, cancel, a worker
// thread, and a real failing write (RLIMIT_FSIZE) that leaves nothing behind.
#include <csignal>

#include <QBuffer>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QImageReader>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "core/export/exporter.h"
#include "core/export/exportnames.h"
#include "core/export/zipbundle.h"
#include "tests/core/export/exportfixture.h"
#include "tests/support/filesizelimit.h"

#include <sys/resource.h>

using namespace brieflow;
using brieflow::test::ExportFixture;

using brieflow::test::FileSizeLimit;

namespace {

QStringList everything(const QString &folder)
{
    QStringList names = QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::System
                                               | QDir::NoDotAndDotDot);
    names.sort();
    return names;
}

/** Every path below @p root, recursively, with sizes: to prove nothing appeared elsewhere. */
QStringList tree(const QString &root)
{
    QStringList paths;
    QDirIterator it(root, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        paths << it.filePath() + QLatin1Char(' ') + QString::number(it.fileInfo().size());
    }
    paths.sort();
    return paths;
}

QByteArray readAll(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeFile(const QString &file, const QByteArray &bytes)
{
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

template<typename R>
QByteArray errorText(const R &result)
{
    return result.ok() ? QByteArray() : result.error().toUtf8();
}

QByteArray qtFormat(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Png:
        return "png";
    case ExportFormat::Jpeg:
        return "jpeg";
    case ExportFormat::Webp:
        return "webp";
    }
    return {};
}

} // namespace

class TestExporter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void plansImagesAndSidecars();
    void planErrors();
    void everyFormatDecodesWithItsLineage_data();
    void everyFormatDecodesWithItsLineage();
    void hostileTemplatesStayInsideTheFolder();
    void askNeverOverwrites();
    void keepBothNumbersImageAndSidecarTogether();
    void skipLeavesExistingFiles();
    void replaceReplacesAtomically();
    void zipBundleHoldsEverything();
    void zipConflictsAreTheBundleOnly();
    void pdfSheetPerJob();
    void cancelBeforeStartWritesNothing();
    void cancelMidwayRemovesEverything();
    void runsOnAWorkerThreadAndFinishesOnce();
    void fullDiskCleansUpAndSaysSo();
    void failedReplaceRestoresTheOldFiles();
    void speedPngToJpeg();

private:
    std::unique_ptr<ExportFixture> m_fixture;
    std::unique_ptr<QTemporaryDir> m_root;
    QString m_folder;

    ExportRequest request() const
    {
        ExportRequest r;
        r.outputs = m_fixture->outputIds();
        r.folder = m_folder;
        return r;
    }
    ExportPlan plan(const ExportRequest &r)
    {
        auto planned = planExport(m_fixture->store(), r);
        if (!planned.ok())
            qWarning("planExport: %s", qPrintable(planned.error()));
        return planned.ok() ? planned.value() : ExportPlan{};
    }
};

void TestExporter::init()
{
    m_fixture = std::make_unique<ExportFixture>(4);
    QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
    m_root = std::make_unique<QTemporaryDir>();
    m_folder = m_root->filePath(QStringLiteral("export"));
    QVERIFY(QDir().mkpath(m_folder));
}

void TestExporter::cleanup()
{
    m_fixture.reset();
    m_root.reset();
}

void TestExporter::plansImagesAndSidecars()
{
    ExportRequest r = request();
    r.nameTemplate = QStringLiteral("{product}-{index}");
    const auto planned = planExport(m_fixture->store(), r);
    QVERIFY2(planned.ok(), errorText(planned).constData());
    const ExportPlan &p = planned.value();
    QCOMPARE(p.images.size(), 7);
    QCOMPARE(p.files.size(), 14);
    QCOMPARE(p.filesToWrite(), 14);
    QVERIFY(p.conflicts.isEmpty());
    QCOMPARE(p.files.at(0).name, QStringLiteral("Café Ñandú-01.png"));
    QCOMPARE(p.files.at(1).name, QStringLiteral("Café Ñandú-01.json"));
    QCOMPARE(p.files.at(2).name, QStringLiteral("Café Ñandú-02.png"));
    QCOMPARE(p.files.at(1).kind, PlannedFile::Kind::Sidecar);
    // "Bolt & <Co> \"Volt\"": Windows-forbidden characters replaced.
    QCOMPARE(p.files.at(8).name, QStringLiteral("Bolt & _Co_ _Volt_-01.png"));
    for (const PlannedFile &f : p.files) {
        QVERIFY(staysInsideFolder(m_folder, f.name));
        QVERIFY(!f.exists && !f.inZip && !f.skip);
    }
    // Every lineage belongs to its output, in order.
    for (qsizetype i = 0; i < p.images.size(); ++i)
        QCOMPARE(p.images.at(i).outputId, r.outputs.at(i));
    // The same template twice: numbered within the export.
    r.nameTemplate = QStringLiteral("same");
    const ExportPlan same = plan(r);
    QCOMPARE(same.files.at(0).name, QStringLiteral("same.png"));
    QCOMPARE(same.files.at(2).name, QStringLiteral("same-2.png"));
    QCOMPARE(same.files.at(3).name, QStringLiteral("same-2.json"));
}

void TestExporter::planErrors()
{
    ExportRequest r = request();
    r.folder = m_root->filePath(QStringLiteral("missing"));
    QVERIFY(!planExport(m_fixture->store(), r).ok());
    r = request();
    r.outputs.clear();
    QVERIFY(!planExport(m_fixture->store(), r).ok());
    r = request();
    r.encode.quality = 101;
    QVERIFY(!planExport(m_fixture->store(), r).ok());
    r = request();
    r.nameTemplate = QStringLiteral("{product}-{seed}");
    const auto unknown = planExport(m_fixture->store(), r);
    QVERIFY(!unknown.ok());
    QVERIFY(unknown.error().contains(QStringLiteral("{seed}")));
    r = request();
    r.outputs << OutputId::generate();
    QVERIFY(!planExport(m_fixture->store(), r).ok());
    // A stored file that went missing is named.
    r = request();
    const QString file = m_fixture->jobs().first().images.first().filePath;
    QVERIFY(QFile::remove(file));
    const auto missing = planExport(m_fixture->store(), r);
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().contains(file));
    QCOMPARE(everything(m_folder), QStringList());
}

void TestExporter::everyFormatDecodesWithItsLineage_data()
{
    QTest::addColumn<ExportFormat>("format");
    QTest::addColumn<int>("quality");
    QTest::newRow("png") << ExportFormat::Png << -1;
    QTest::newRow("jpeg") << ExportFormat::Jpeg << 85;
    QTest::newRow("webp") << ExportFormat::Webp << 80;
}

void TestExporter::everyFormatDecodesWithItsLineage()
{
    QFETCH(ExportFormat, format);
    QFETCH(int, quality);
    ExportRequest r = request();
    r.encode.format = format;
    r.encode.quality = quality;
    const ExportPlan p = plan(r);
    QCOMPARE(p.files.size(), 14);
    ExportTask task(p);
    QList<int> dones;
    connect(&task, &ExportTask::progress, this, [&](int done, int total, const QString &) {
        QCOMPARE(total, 14);
        dones << done;
    });
    const ExportOutcome outcome = task.runSynchronously();
    QVERIFY2(outcome.kind == ExportOutcome::Kind::Done, qPrintable(outcome.message));
    QCOMPARE(outcome.written.size(), 14);
    QCOMPARE(dones.first(), 0);
    QCOMPARE(dones.last(), 14);
    QVERIFY(std::is_sorted(dones.begin(), dones.end()));

    QStringList expected;
    for (const PlannedFile &f : p.files)
        expected << f.name;
    expected.sort();
    QCOMPARE(everything(m_folder), expected); // and no temporary file

    for (const PlannedFile &f : p.files) {
        const QString path = m_folder + QLatin1Char('/') + f.name;
        QVERIFY(outcome.written.contains(path));
        const ImageLineage &lineage = p.images.at(f.image);
        if (f.kind == PlannedFile::Kind::Sidecar) {
            const auto parsed = lineageFromJson(readAll(path));
            QVERIFY2(parsed.ok(), errorText(parsed).constData());
            QCOMPARE(parsed.value(), lineage);
            continue;
        }
        QImageReader reader(path);
        QCOMPARE(reader.format(), qtFormat(format));
        const QImage image = reader.read();
        QVERIFY2(!image.isNull(), qPrintable(path + reader.errorString()));
        QCOMPARE(image.width(), lineage.width);
        QCOMPARE(image.height(), lineage.height);
        const auto metadata = readEmbeddedMetadata(path);
        QVERIFY2(metadata.ok(), metadata.ok() ? "" : qPrintable(metadata.error()));
        QVERIFY(metadata->lineage.has_value());
        QCOMPARE(metadata->lineage->outputId, lineage.outputId);
        QCOMPARE(metadata->lineage->brief, lineage.brief);
        QCOMPARE(metadata->lineage->imagePrompt, lineage.imagePrompt);
        QCOMPARE(metadata->digitalSourceType,
                 QStringLiteral("http://cv.iptc.org/newscodes/digitalsourcetype/"
                                "trainedAlgorithmicMedia"));
    }
}

void TestExporter::hostileTemplatesStayInsideTheFolder()
{
    const QStringList templates{QStringLiteral("../../{product}"),
                                QStringLiteral("/etc/{job}"),
                                QStringLiteral("..\\..\\{index}"),
                                QStringLiteral("{product}/../../x"),
                                QStringLiteral(".."),
                                QStringLiteral("CON"),
                                QStringLiteral("\x01\x02"),
                                QStringLiteral("a\u202e{index}gnp")};
    const QStringList before = tree(m_root->path());
    QStringList written;
    for (const QString &t : templates) {
        ExportRequest r = request();
        r.nameTemplate = t;
        r.overwrite = OverwritePolicy::KeepBoth;
        const ExportPlan p = plan(r);
        QCOMPARE(p.files.size(), 14);
        ExportTask task(p);
        const ExportOutcome outcome = task.runSynchronously();
        QVERIFY2(outcome.kind == ExportOutcome::Kind::Done, qPrintable(outcome.message));
        for (const QString &path : outcome.written) {
            QCOMPARE(QFileInfo(path).absolutePath(), QFileInfo(m_folder).absoluteFilePath());
            written << path;
        }
    }
    // The folder holds exactly what was written; nothing changed anywhere else below the root.
    QCOMPARE(everything(m_folder).size(), written.size());
    QStringList after = tree(m_root->path());
    after.erase(std::remove_if(after.begin(), after.end(),
                               [&](const QString &line) {
                                   return line.startsWith(m_folder + QLatin1Char('/'));
                               }),
                after.end());
    QCOMPARE(after, before);
    QVERIFY(!QFileInfo::exists(m_root->filePath(QStringLiteral("x"))));
}

void TestExporter::askNeverOverwrites()
{
    ExportRequest r = request();
    r.nameTemplate = QStringLiteral("{product}-{index}");
    const ExportPlan first = plan(r);
    // Two existing files: an image and a sidecar of different images.
    const QString image = m_folder + QLatin1Char('/') + first.files.at(0).name;
    const QString sidecar = m_folder + QLatin1Char('/') + first.files.at(5).name;
    writeFile(image, "mine");
    writeFile(sidecar, "{\"mine\":true}");

    const ExportPlan p = plan(r);
    QCOMPARE(p.conflicts, (QStringList{first.files.at(0).name, first.files.at(5).name}));
    QVERIFY(p.files.at(0).exists);
    ExportTask task(p);
    const ExportOutcome outcome = task.runSynchronously();
    QCOMPARE(outcome.kind, ExportOutcome::Kind::Failed);
    QVERIFY(outcome.message.contains(first.files.at(0).name));
    QCOMPARE(readAll(image), QByteArray("mine"));
    QCOMPARE(readAll(sidecar), QByteArray("{\"mine\":true}"));
    QCOMPARE(everything(m_folder).size(), 2);
}

void TestExporter::keepBothNumbersImageAndSidecarTogether()
{
    ExportRequest r = request();
    r.nameTemplate = QStringLiteral("{product}-{index}");
    const ExportPlan first = plan(r);
    const QString image = m_folder + QLatin1Char('/') + first.files.at(0).name;
    writeFile(image, "mine");
    // "(2)" is taken too: the next free number is used for both files.
    writeFile(m_folder + QStringLiteral("/Café Ñandú-01 (2).json"), "taken");
    r.overwrite = OverwritePolicy::KeepBoth;
    const ExportPlan p = plan(r);
    QVERIFY(p.conflicts.isEmpty());
    QCOMPARE(p.files.at(0).name, QStringLiteral("Café Ñandú-01 (3).png"));
    QCOMPARE(p.files.at(1).name, QStringLiteral("Café Ñandú-01 (3).json"));
    QCOMPARE(p.files.at(2).name, QStringLiteral("Café Ñandú-02.png"));
    ExportTask task(p);
    const ExportOutcome outcome = task.runSynchronously();
    QVERIFY2(outcome.kind == ExportOutcome::Kind::Done, qPrintable(outcome.message));
    QCOMPARE(outcome.written.size(), 14);
    QCOMPARE(readAll(image), QByteArray("mine"));
    QCOMPARE(everything(m_folder).size(), 16);
}

void TestExporter::skipLeavesExistingFiles()
{
    ExportRequest r = request();
    const ExportPlan first = plan(r);
    const QString image = m_folder + QLatin1Char('/') + first.files.at(2).name;
    writeFile(image, "mine");
    r.overwrite = OverwritePolicy::Skip;
    const ExportPlan p = plan(r);
    QVERIFY(p.files.at(2).skip);
    QCOMPARE(p.filesToWrite(), 13);
    ExportTask task(p);
    const ExportOutcome outcome = task.runSynchronously();
    QVERIFY2(outcome.kind == ExportOutcome::Kind::Done, qPrintable(outcome.message));
    QCOMPARE(outcome.written.size(), 13);
    QCOMPARE(outcome.skipped, 1);
    QVERIFY(!outcome.written.contains(image));
    QCOMPARE(readAll(image), QByteArray("mine"));
    QCOMPARE(everything(m_folder).size(), 14);
}

void TestExporter::replaceReplacesAtomically()
{
    ExportRequest r = request();
    const ExportPlan first = plan(r);
    const QString image = m_folder + QLatin1Char('/') + first.files.at(0).name;
    writeFile(image, "mine");
    r.overwrite = OverwritePolicy::Replace;
    const ExportPlan p = plan(r);
    QVERIFY(p.files.at(0).exists);
    ExportTask task(p);
    const ExportOutcome outcome = task.runSynchronously();
    QVERIFY2(outcome.kind == ExportOutcome::Kind::Done, qPrintable(outcome.message));
    QVERIFY(readAll(image).startsWith("\x89PNG"));
    QCOMPARE(everything(m_folder).size(), 14); // no backup left behind
}

void TestExporter::zipBundleHoldsEverything()
{
    ExportRequest r = request();
    r.zip = true;
    r.pdfSheet = true;
    r.encode.format = ExportFormat::Jpeg;
    r.zipName = QStringLiteral("../Campaign: spring/2026");
    const ExportPlan p = plan(r);
    QCOMPARE(p.files.last().kind, PlannedFile::Kind::Zip);
    QCOMPARE(p.files.last().name, QStringLiteral("_Campaign_ spring_2026.zip"));
    ExportTask task(p);
    const ExportOutcome outcome = task.runSynchronously();
    QVERIFY2(outcome.kind == ExportOutcome::Kind::Done, qPrintable(outcome.message));
    QCOMPARE(everything(m_folder), QStringList{QStringLiteral("_Campaign_ spring_2026.zip")});
    QCOMPARE(outcome.written.size(), 1);

    const auto entries = readZip(outcome.written.first());
    QVERIFY2(entries.ok(), errorText(entries).constData());
    QCOMPARE(entries->size(), p.files.size() - 1); // 7 images, 7 sidecars, 4 sheets
    QCOMPARE(entries->size(), 18);
    int images = 0, sidecars = 0, sheets = 0;
    for (qsizetype i = 0; i < entries->size(); ++i) {
        const ZipEntry &entry = entries->at(i);
        const PlannedFile &planned = p.files.at(i);
        QCOMPARE(entry.name, planned.name);
        QVERIFY(planned.inZip);
        switch (planned.kind) {
        case PlannedFile::Kind::Image: {
            ++images;
            QVERIFY(!entry.compress);
            QImage image;
            QVERIFY(image.loadFromData(entry.data, "jpeg"));
            QCOMPARE(image.width(), p.images.at(planned.image).width);
            break;
        }
        case PlannedFile::Kind::Sidecar: {
            ++sidecars;
            QVERIFY(entry.compress);
            const auto parsed = lineageFromJson(entry.data);
            QVERIFY2(parsed.ok(), errorText(parsed).constData());
            QCOMPARE(parsed.value(), p.images.at(planned.image));
            break;
        }
        case PlannedFile::Kind::Sheet:
            ++sheets;
            QVERIFY(entry.data.startsWith("%PDF-"));
            break;
        case PlannedFile::Kind::Zip:
            QFAIL("a ZIP inside the ZIP");
        }
    }
    QCOMPARE(images, 7);
    QCOMPARE(sidecars, 7);
    QCOMPARE(sheets, 4);
}

void TestExporter::zipConflictsAreTheBundleOnly()
{
    ExportRequest r = request();
    r.zip = true;
    r.zipName = QStringLiteral("bundle");
    // A loose file with an entry's name is no conflict; the bundle's name is.
    writeFile(m_folder + QLatin1Char('/') + plan(request()).files.at(0).name, "loose");
    writeFile(m_folder + QStringLiteral("/bundle.zip"), "old zip");
    const ExportPlan asked = plan(r);
    QCOMPARE(asked.conflicts, QStringList{QStringLiteral("bundle.zip")});
    r.overwrite = OverwritePolicy::KeepBoth;
    const ExportPlan p = plan(r);
    QCOMPARE(p.files.last().name, QStringLiteral("bundle (2).zip"));
    ExportTask task(p);
    QCOMPARE(task.runSynchronously().kind, ExportOutcome::Kind::Done);
    QCOMPARE(readAll(m_folder + QStringLiteral("/bundle.zip")), QByteArray("old zip"));
    QVERIFY(readZip(m_folder + QStringLiteral("/bundle (2).zip")).ok());
}

void TestExporter::pdfSheetPerJob()
{
    ExportRequest r = request();
    r.pdfSheet = true;
    r.sidecars = false;
    const ExportPlan p = plan(r);
    QCOMPARE(p.files.size(), 7 + 4);
    ExportTask task(p);
    const ExportOutcome outcome = task.runSynchronously();
    QVERIFY2(outcome.kind == ExportOutcome::Kind::Done, qPrintable(outcome.message));
    int sheets = 0;
    for (const QString &path : outcome.written) {
        if (!path.endsWith(QStringLiteral(".pdf")))
            continue;
        ++sheets;
        const QByteArray pdf = readAll(path);
        QVERIFY(pdf.startsWith("%PDF-"));
        QVERIFY(pdf.trimmed().endsWith("%%EOF"));
    }
    QCOMPARE(sheets, 4);
}

void TestExporter::cancelBeforeStartWritesNothing()
{
    ExportTask task(plan(request()));
    task.cancel();
    const ExportOutcome outcome = task.runSynchronously();
    QCOMPARE(outcome.kind, ExportOutcome::Kind::Canceled);
    QVERIFY(outcome.written.isEmpty());
    QCOMPARE(everything(m_folder), QStringList());
}

void TestExporter::cancelMidwayRemovesEverything()
{
    writeFile(m_folder + QStringLiteral("/keep.txt"), "keep");
    ExportRequest r = request();
    r.pdfSheet = true;
    ExportTask task(plan(r));
    int last = 0;
    connect(&task, &ExportTask::progress, this, [&](int done, int, const QString &) {
        last = done;
        if (done == 9)
            task.cancel();
    });
    const ExportOutcome outcome = task.runSynchronously();
    QCOMPARE(outcome.kind, ExportOutcome::Kind::Canceled);
    QCOMPARE(last, 9);
    QCOMPARE(everything(m_folder), QStringList{QStringLiteral("keep.txt")});
}

void TestExporter::runsOnAWorkerThreadAndFinishesOnce()
{
    ExportRequest r = request();
    r.zip = true;
    auto task = std::make_unique<ExportTask>(plan(r));
    QThread *progressThread = nullptr;
    connect(
        task.get(), &ExportTask::progress, this,
        [&](int, int, const QString &) { progressThread = QThread::currentThread(); },
        Qt::DirectConnection);
    QSignalSpy finished(task.get(), &ExportTask::finished);
    task->start();
    QVERIFY(finished.wait(60000));
    QVERIFY(progressThread && progressThread != QThread::currentThread());
    QTest::qWait(100);
    QCOMPARE(finished.size(), 1);
    const auto outcome = finished.first().first().value<ExportOutcome>();
    QCOMPARE(outcome.kind, ExportOutcome::Kind::Done);
    QCOMPARE(everything(m_folder).size(), 1);
    QVERIFY(!task->isRunning());

    // Destroying a running task cancels it and waits: nothing is left.
    QTemporaryDir other;
    r.folder = other.path();
    task = std::make_unique<ExportTask>(plan(r));
    task->start();
    task.reset();
    QCOMPARE(everything(other.path()), QStringList());
}

void TestExporter::fullDiskCleansUpAndSaysSo()
{
    // Order the images small first and set the limit below the largest ones only: the small
    // files get through, a large one fails, so the failure comes midway.
    ExportRequest r = request();
    r.encode.format = ExportFormat::Png;
    QTemporaryDir probe;
    ExportRequest probeRequest = r;
    probeRequest.folder = probe.path();
    const ExportPlan probePlan = plan(probeRequest);
    ExportTask probeTask(probePlan);
    QVERIFY(probeTask.runSynchronously().kind == ExportOutcome::Kind::Done);
    QList<std::pair<qint64, OutputId>> sized;
    for (const PlannedFile &f : probePlan.files) {
        if (f.kind == PlannedFile::Kind::Image)
            sized << std::pair{QFileInfo(probe.filePath(f.name)).size(), f.output};
    }
    std::sort(sized.begin(), sized.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    qsizetype cut = sized.size() - 1;
    while (cut > 0 && sized.at(cut - 1).first == sized.at(cut).first)
        --cut;
    QVERIFY2(cut >= 3, "enough smaller images before the first one that can't be written");
    r.outputs.clear();
    for (const auto &[size, id] : std::as_const(sized))
        r.outputs << id;
    const qint64 limitBytes = (sized.at(cut - 1).first + sized.at(cut).first) / 2;

    int furthest = 0;
    {
        FileSizeLimit limit(static_cast<rlim_t>(limitBytes));
        QVERIFY(limit.ok());
        ExportTask task(plan(r));
        connect(&task, &ExportTask::progress, this,
                [&](int done, int, const QString &) { furthest = std::max(furthest, done); });
        const ExportOutcome outcome = task.runSynchronously();
        QCOMPARE(outcome.kind, ExportOutcome::Kind::Failed);
        QVERIFY2(outcome.message.startsWith(QStringLiteral("The disk is full: ")),
                 qPrintable(outcome.message));
        QVERIFY(outcome.message.contains(
            QStringLiteral("Nothing was exported; free some space in %1 and try again.")
                .arg(QDir::cleanPath(m_folder))));
        QVERIFY(outcome.written.isEmpty());
    }
    QVERIFY2(furthest >= 5, "the failure came midway, after several files");
    QCOMPARE(everything(m_folder), QStringList());

    ExportTask again(plan(r));
    const ExportOutcome outcome = again.runSynchronously();
    QVERIFY2(outcome.kind == ExportOutcome::Kind::Done, qPrintable(outcome.message));
    QCOMPARE(everything(m_folder).size(), 14);
}

void TestExporter::failedReplaceRestoresTheOldFiles()
{
    // Files get their names only once all are whole; if naming fails midway (here a folder
    // appears under a planned name after planning), the files already replaced come back.
    ExportRequest r = request();
    r.sidecars = false;
    const ExportPlan first = plan(r);
    const QString a = m_folder + QLatin1Char('/') + first.files.at(0).name;
    const QString b = m_folder + QLatin1Char('/') + first.files.at(1).name;
    writeFile(a, "old a");
    writeFile(b, "old b");
    r.overwrite = OverwritePolicy::Replace;
    const ExportPlan p = plan(r);
    const QString blocker = m_folder + QLatin1Char('/') + p.files.at(4).name;
    QVERIFY(QDir().mkpath(blocker));
    writeFile(blocker + QStringLiteral("/inside.txt"), "inside");
    ExportTask task(p);
    const ExportOutcome outcome = task.runSynchronously();
    QCOMPARE(outcome.kind, ExportOutcome::Kind::Failed);
    QVERIFY2(outcome.message.contains(p.files.at(4).name), qPrintable(outcome.message));
    QCOMPARE(readAll(a), QByteArray("old a"));
    QCOMPARE(readAll(b), QByteArray("old b"));
    QCOMPARE(readAll(blocker + QStringLiteral("/inside.txt")), QByteArray("inside"));
    QStringList expected{first.files.at(0).name, first.files.at(1).name, p.files.at(4).name};
    expected.sort();
    QCOMPARE(everything(m_folder), expected);
}

void TestExporter::speedPngToJpeg()
{
    ExportFixture big(16); // 8 + 12 PNG images in the jobs of patterns 0 and 3
    QVERIFY2(big.isValid(), qPrintable(big.error()));
    QList<OutputId> pngs;
    for (const auto &job : big.jobs()) {
        if (job.storedFormat != QStringLiteral("png"))
            continue;
        for (const OutputRecord &o : job.images)
            pngs << o.id;
    }
    QCOMPARE(pngs.size(), 20);
    ExportRequest r;
    r.outputs = pngs;
    r.folder = m_folder;
    r.encode.format = ExportFormat::Jpeg;
    r.encode.quality = 90;
    auto planned = planExport(big.store(), r);
    QVERIFY2(planned.ok(), errorText(planned).constData());
    QElapsedTimer timer;
    timer.start();
    ExportTask task(planned.value());
    const ExportOutcome outcome = task.runSynchronously();
    const double seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    QVERIFY2(outcome.kind == ExportOutcome::Kind::Done, qPrintable(outcome.message));
    QCOMPARE(outcome.written.size(), 40);
    qInfo("export of 20 PNG images → JPEG q90 with sidecars: %.2f s, "
          "%.1f images/s",
          seconds, 20 / seconds);
}

QTEST_MAIN(TestExporter)
#include "tst_exporter.moc"

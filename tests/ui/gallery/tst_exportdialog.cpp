// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QImageReader>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QUrl>

#include "core/settings.h"
#include "tests/core/export/exportfixture.h"
#include "ui/gallery/exportdialog.h"
#include "ui/jobdetail/jobdetailview.h"

using namespace brieflow;
using brieflow::ui::ConflictChoice;
using brieflow::ui::ExportDialog;

namespace {

QStringList filesIn(const QString &folder, const QString &pattern = QStringLiteral("*"))
{
    return QDir(folder).entryList({pattern}, QDir::Files | QDir::Hidden | QDir::System, QDir::Name);
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestExportDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void exportsJpegsEndToEnd();
    void templateErrorsAndExampleName();
    void conflictAsksAndSkipKeepsTheExistingFile();
    void conflictReplaceAndCancel();
    void cancelMidwayLeavesNoFiles();
    void aFailureShowsTheOutcomesMessage();
    void jobDetailExportButton();

private:
    std::unique_ptr<ExportDialog> makeDialog(const QList<OutputId> &ids);
    bool runExport(ExportDialog &dialog);

    std::unique_ptr<test::ExportFixture> m_fixture;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
    QString m_folder;
    QList<QUrl> m_opened;
    QList<QStringList> m_asked;
    ConflictChoice m_answer = ConflictChoice::Cancel;
};

void TestExportDialog::init()
{
    m_fixture = std::make_unique<test::ExportFixture>(4);
    QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<Settings>(m_dir->filePath(QStringLiteral("settings.ini")));
    m_folder = m_dir->filePath(QStringLiteral("export to"));
    QVERIFY(QDir().mkpath(m_folder));
    m_opened.clear();
    m_asked.clear();
}

void TestExportDialog::cleanup()
{
    m_settings.reset();
    m_dir.reset();
    m_fixture.reset();
}

std::unique_ptr<ExportDialog> TestExportDialog::makeDialog(const QList<OutputId> &ids)
{
    auto dialog = std::make_unique<ExportDialog>(m_fixture->store(), *m_settings, ids);
    dialog->setOpener([this](const QUrl &url) { m_opened << url; });
    dialog->setConflictQuestion([this](const QStringList &existing, const QString &,
                                       std::function<void(ConflictChoice)> answer) {
        m_asked << existing;
        answer(m_answer);
    });
    dialog->setFolder(m_folder);
    return dialog;
}

bool TestExportDialog::runExport(ExportDialog &dialog)
{
    QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
    if (!dialog.exportButton()->isEnabled())
        return false;
    dialog.exportButton()->click();
    return finished.wait(60'000) || finished.size() == 1;
}

void TestExportDialog::exportsJpegsEndToEnd()
{
    const QList<OutputId> ids = m_fixture->outputIds();
    QCOMPARE(ids.size(), 7);
    auto dialog = makeDialog(ids);
    dialog->show();
    QCOMPARE(dialog->phase(), ExportDialog::Phase::Editing);
    dialog->formatBox()->setCurrentIndex(1); // JPEG
    dialog->originalQualityBox()->setChecked(false);
    dialog->qualitySlider()->setValue(85);
    QVERIFY(dialog->sidecarsBox()->isChecked());
    QVERIFY(dialog->request().encode.format == ExportFormat::Jpeg);
    QCOMPARE(dialog->request().encode.quality, 85);
    QCOMPARE(dialog->request().folder, QDir::cleanPath(m_folder));

    QVERIFY(runExport(*dialog));
    QVERIFY(dialog->outcome());
    QVERIFY2(dialog->outcome()->kind == ExportOutcome::Kind::Done,
             qPrintable(dialog->outcome()->message));
    QCOMPARE(dialog->phase(), ExportDialog::Phase::Done);
    QCOMPARE(dialog->statusText(), QStringLiteral("Exported 7 images to ")
                                       + QDir::toNativeSeparators(QDir::cleanPath(m_folder)));

    const QStringList jpegs = filesIn(m_folder, QStringLiteral("*.jpg"));
    QCOMPARE(jpegs.size(), 7);
    QCOMPARE(filesIn(m_folder, QStringLiteral("*.json")).size(), 7);
    QCOMPARE(filesIn(m_folder).size(), 14); // nothing else: no temporary files left
    QList<QSize> sizes;
    for (const QString &name : jpegs) {
        QImageReader reader(QDir(m_folder).filePath(name));
        QCOMPARE(reader.format(), QByteArray("jpeg"));
        const QImage image = reader.read();
        QVERIFY2(!image.isNull(), qPrintable(name + QStringLiteral(": ") + reader.errorString()));
        sizes << image.size();
    }
    QCOMPARE(sizes.count(QSize(256, 256)), 3);
    QCOMPARE(sizes.count(QSize(1024, 576)), 1);

    // Show in folder opens the folder.
    QVERIFY(dialog->showInFolderButton()->isVisible());
    dialog->showInFolderButton()->click();
    QCOMPARE(m_opened, QList<QUrl>{QUrl::fromLocalFile(QDir::cleanPath(m_folder))});

    // The choices are remembered for the next export.
    auto next = std::make_unique<ExportDialog>(m_fixture->store(), *m_settings, ids);
    QCOMPARE(next->folder(), QDir::cleanPath(m_folder));
    QVERIFY(next->request().encode.format == ExportFormat::Jpeg);
    QCOMPARE(next->request().encode.quality, 85);
}

void TestExportDialog::templateErrorsAndExampleName()
{
    auto dialog = makeDialog(m_fixture->outputIds());
    dialog->formatBox()->setCurrentIndex(1);
    QVERIFY(dialog->templateError().isEmpty());
    QVERIFY2(dialog->exampleName().endsWith(QStringLiteral("-01.jpg")),
             qPrintable(dialog->exampleName()));
    QVERIFY(dialog->exampleName().startsWith(QStringLiteral("Caf")));
    dialog->formatBox()->setCurrentIndex(2);
    QVERIFY(dialog->exampleName().endsWith(QStringLiteral(".webp")));

    dialog->templateEdit()->setText(QStringLiteral("{product}-{colour}"));
    QVERIFY(dialog->templateError().contains(QStringLiteral("{colour}")));
    QVERIFY(dialog->exampleName().isEmpty());
    QVERIFY(!dialog->exportButton()->isEnabled());

    dialog->templateEdit()->setText(QStringLiteral("{model}_{index}"));
    QVERIFY(dialog->templateError().isEmpty());
    QCOMPARE(dialog->exampleName(), m_fixture->jobs().at(0).imageModel.section(QLatin1Char('/'), -1)
                                        + QStringLiteral("_01.webp"));
    QVERIFY(dialog->exportButton()->isEnabled());

    dialog->folderEdit()->clear();
    QVERIFY(!dialog->exportButton()->isEnabled());
}

void TestExportDialog::conflictAsksAndSkipKeepsTheExistingFile()
{
    const test::ExportFixtureJob &job = m_fixture->jobs().at(0); // 2 PNGs
    auto first = makeDialog({job.images.at(0).id});
    first->sidecarsBox()->setChecked(false);
    QVERIFY(runExport(*first));
    QCOMPARE(first->outcome()->kind, ExportOutcome::Kind::Done);
    const QStringList written = filesIn(m_folder);
    QCOMPARE(written.size(), 1);
    QVERIFY(m_asked.isEmpty());
    // Someone changed the exported file since: its bytes are what Skip must keep.
    const QString existing = QDir(m_folder).filePath(written.constFirst());
    const QByteArray mine("my own edit of the exported file, keep me");
    {
        QFile file(existing);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(mine);
    }

    // Both images of the job: one name exists.
    auto second = makeDialog({job.images.at(0).id, job.images.at(1).id});
    second->sidecarsBox()->setChecked(false);
    m_answer = ConflictChoice::Skip;
    QVERIFY(runExport(*second));
    QCOMPARE(m_asked.size(), 1);
    QCOMPARE(m_asked.constFirst(), QStringList{written.constFirst()});
    QCOMPARE(second->outcome()->kind, ExportOutcome::Kind::Done);
    QCOMPARE(second->outcome()->skipped, 1);
    QCOMPARE(readAll(existing), mine);
    QCOMPARE(filesIn(m_folder).size(), 2);
    QVERIFY2(second->statusText().startsWith(QStringLiteral("Exported 1 image to ")),
             qPrintable(second->statusText()));
}

void TestExportDialog::conflictReplaceAndCancel()
{
    const test::ExportFixtureJob &job = m_fixture->jobs().at(1); // 1 JPEG
    auto first = makeDialog({job.images.at(0).id});
    first->sidecarsBox()->setChecked(false);
    QVERIFY(runExport(*first));
    const QString existing = QDir(m_folder).filePath(filesIn(m_folder).constFirst());
    {
        QFile file(existing);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("stale");
    }

    // Cancel: nothing is written, the dialog is ready again.
    auto again = makeDialog({job.images.at(0).id});
    again->sidecarsBox()->setChecked(false);
    m_answer = ConflictChoice::Cancel;
    again->exportButton()->click();
    QTRY_COMPARE(m_asked.size(), 1);
    QCOMPARE(again->phase(), ExportDialog::Phase::Editing);
    QCOMPARE(again->statusText(), QStringLiteral("Nothing was exported."));
    QCOMPARE(readAll(existing), QByteArray("stale"));
    QVERIFY(again->exportButton()->isEnabled());

    // Replace: the file is a whole image again.
    m_answer = ConflictChoice::Replace;
    QVERIFY(runExport(*again));
    QCOMPARE(again->outcome()->kind, ExportOutcome::Kind::Done);
    QVERIFY(!QImage(existing).isNull());
    QCOMPARE(filesIn(m_folder).size(), 1);
}

void TestExportDialog::cancelMidwayLeavesNoFiles()
{
    auto dialog = makeDialog(m_fixture->outputIds());
    dialog->formatBox()->setCurrentIndex(2); // WebP: every image is encoded again
    dialog->originalQualityBox()->setChecked(false);
    dialog->pdfBox()->setChecked(true);
    int progressSeen = 0;
    connect(dialog.get(), &ExportDialog::exportStarted, this, [&progressSeen](ExportTask *task) {
        // On the worker, at once: cancel once two files are done, mid-way through the export.
        connect(
            task, &ExportTask::progress, task,
            [task, &progressSeen](int done, int total, const QString &) {
                ++progressSeen;
                if (done >= 2 && done < total)
                    task->cancel();
            },
            Qt::DirectConnection);
    });
    QVERIFY(runExport(*dialog));
    QVERIFY(progressSeen >= 2);
    QCOMPARE(dialog->outcome()->kind, ExportOutcome::Kind::Canceled);
    QCOMPARE(dialog->phase(), ExportDialog::Phase::Canceled);
    QCOMPARE(filesIn(m_folder), QStringList());
    QVERIFY(dialog->statusText().startsWith(QStringLiteral("Export canceled")));
    QVERIFY(dialog->exportButton()->isEnabled());
}

void TestExportDialog::aFailureShowsTheOutcomesMessage()
{
    // An image whose stored file is gone: the export can't be made and says why.
    const test::ExportFixtureJob &job = m_fixture->jobs().at(2);
    QVERIFY(QFile::remove(job.images.at(0).filePath));
    auto dialog = makeDialog({job.images.at(0).id});
    QVERIFY(runExport(*dialog));
    QCOMPARE(dialog->phase(), ExportDialog::Phase::Failed);
    QVERIFY(dialog->outcome());
    QVERIFY(!dialog->outcome()->message.isEmpty());
    QCOMPARE(dialog->statusText(), dialog->outcome()->message);
    QCOMPARE(filesIn(m_folder), QStringList());
}

void TestExportDialog::jobDetailExportButton()
{
    const test::ExportFixtureJob &job = m_fixture->jobs().at(3);
    ui::JobDetailView view(m_fixture->store(), nullptr, nullptr, m_fixture->outputsDir());
    QSignalSpy requested(&view, &ui::JobDetailView::exportRequested);
    view.showJob(job.id);
    QVERIFY(view.exportButton()->isEnabled());
    view.exportButton()->click();
    QCOMPARE(requested.size(), 1);
    QList<OutputId> expected;
    for (const OutputRecord &image : job.images)
        expected << image.id;
    QCOMPARE(requested.constFirst().constFirst().value<QList<OutputId>>(), expected);

    Brief brief = job.brief;
    brief.productName = QStringLiteral("No images yet");
    const auto fresh = submitBrief(m_fixture->store(), brief, QStringLiteral("test"));
    QVERIFY(fresh);
    view.showJob(fresh->id);
    QVERIFY(!view.exportButton()->isEnabled());
}

QTEST_MAIN(TestExportDialog)
#include "tst_exportdialog.moc"

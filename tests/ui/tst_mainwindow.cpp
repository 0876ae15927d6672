// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QAction>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QToolButton>

#include "core/app/jobsubmission.h"
#include "core/export/imagemetadata.h"
#include "core/settings.h"
#include "core/store/jobstore.h"
#include "tests/support/tempdatadir.h"
#include "ui/gallery/exportdialog.h"
#include "ui/gallery/galleryfilterbar.h"
#include "ui/gallery/gallerymodel.h"
#include "ui/gallery/gallerypanel.h"
#include "ui/gallery/imagereimport.h"
#include "ui/jobdetail/jobdetailview.h"
#include "ui/mainwindow.h"
#include "ui/queue/jobtablemodel.h"
#include "ui/queue/queuepanel.h"
#include "ui/shell/navigationrail.h"
#include "ui/widgets/briefform.h"

using namespace brieflow;

class TestMainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void generateQueuesAJobInTheStore();
    void invalidBriefQueuesNothingAndKeepsTheText();
    void existingJobsShowOnStart();
    void geometryIsRemembered();
    void railSwitchesPages();
    void galleryShowJobSelectsItOnCreate();
    void openImageWithoutLineageSaysSo();
    void openImageWithLineageFillsTheForm();
    void jobPaneExportOpensTheExportDialog();

private:
    QPushButton *generateButton(ui::MainWindow &window);

    std::unique_ptr<test::TempDataDir> m_dir;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<Settings> m_settings;
};

void TestMainWindow::init()
{
    m_dir = std::make_unique<test::TempDataDir>();
    const Paths paths = m_dir->paths();
    QCOMPARE(paths.ensureExists(), QString());
    auto store = JobStore::open(paths.databaseFile(), JobStore::Mode::Writer);
    QVERIFY(store.ok());
    m_store = std::move(store).value();
    m_settings = std::make_unique<Settings>(paths.settingsFile());
}

void TestMainWindow::cleanup()
{
    m_settings.reset();
    m_store.reset();
    m_dir.reset();
}

QPushButton *TestMainWindow::generateButton(ui::MainWindow &window)
{
    const auto buttons = window.findChildren<QPushButton *>();
    for (QPushButton *b : buttons) {
        if (b->text() == QStringLiteral("Generate"))
            return b;
    }
    return nullptr;
}

void TestMainWindow::generateQueuesAJobInTheStore()
{
    ui::MainWindow window(*m_store, *m_settings, m_dir->paths());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.briefForm()->loadExample();
    const QString product = window.briefForm()->brief().productName;
    QPushButton *generate = generateButton(window);
    QVERIFY(generate);
    QTest::mouseClick(generate, Qt::LeftButton);

    auto jobs = m_store->jobs(JobQuery());
    QVERIFY(jobs.ok());
    QCOMPARE(jobs->size(), 1);
    QCOMPARE(toString(jobs->first().status), toString(JobStatus::Pending));
    QCOMPARE(briefOfJob(jobs->first())->productName, product);
    auto steps = m_store->steps(jobs->first().id);
    QVERIFY(steps.ok());
    QCOMPARE(steps->size(), CampaignWorkflow::stepNames().size());

    QCOMPARE(window.jobModel()->rowCount(), 1);
    QVERIFY(window.queueView()->isVisible());
    QVERIFY(window.briefForm()->brief().productName.isEmpty()); // ready for the next brief
    QVERIFY(window.statusBar()->currentMessage().contains(product));
}

void TestMainWindow::invalidBriefQueuesNothingAndKeepsTheText()
{
    ui::MainWindow window(*m_store, *m_settings, m_dir->paths());
    window.show();
    Brief b;
    b.productName = QStringLiteral("Only a name");
    window.briefForm()->setBrief(b);
    QTest::mouseClick(generateButton(window), Qt::LeftButton);
    QCOMPARE(m_store->jobs(JobQuery())->size(), 0);
    QCOMPARE(window.briefForm()->brief().productName, QStringLiteral("Only a name"));
    QVERIFY(window.briefForm()->shownProblems().contains(QLatin1String(BriefField::Audience)));
    QVERIFY(!window.queueView()->isVisible()); // the empty state teaches instead
}

void TestMainWindow::existingJobsShowOnStart()
{
    Brief b;
    b.productName = QStringLiteral("NoteKeeper");
    b.audience = QStringLiteral("Students");
    b.valueProposition = QStringLiteral("Notes that find themselves.");
    QVERIFY(submitBrief(*m_store, b, QStringLiteral("test")).ok());
    ui::MainWindow window(*m_store, *m_settings, m_dir->paths());
    QCOMPARE(window.jobModel()->rowCount(), 1);
    QCOMPARE(window.jobModel()->index(0, ui::JobTableModel::Product).data().toString(),
             QStringLiteral("NoteKeeper"));
}

void TestMainWindow::geometryIsRemembered()
{
    {
        ui::MainWindow window(*m_store, *m_settings, m_dir->paths());
        window.resize(1100, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.close();
    }
    QVERIFY(!m_settings->value(Settings::MainWindowGeometry).isEmpty());
    ui::MainWindow again(*m_store, *m_settings, m_dir->paths());
    QCOMPARE(again.size(), QSize(1100, 700));
}

void TestMainWindow::railSwitchesPages()
{
    ui::MainWindow window(*m_store, *m_settings, m_dir->paths());
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    ui::NavigationRail *rail = window.navigationRail();
    QCOMPARE(rail->pageCount(), 3);
    QCOMPARE(rail->pageButton(0)->accessibleName(), QStringLiteral("Create"));
    QCOMPARE(rail->pageButton(1)->accessibleName(), QStringLiteral("Gallery"));
    QCOMPARE(rail->pageButton(2)->accessibleName(), QStringLiteral("Monitor"));
    QCOMPARE(window.currentPage(), ui::MainWindow::Page::Create);
    QVERIFY(window.queuePanel()->isVisible());
    QVERIFY(!window.galleryPanel()->isVisible());

    QTest::mouseClick(rail->pageButton(1), Qt::LeftButton);
    QCOMPARE(window.currentPage(), ui::MainWindow::Page::Gallery);
    QVERIFY(window.galleryPanel()->isVisible());
    QVERIFY(!window.queuePanel()->isVisible());
    QVERIFY(window.galleryPanel()->emptyStateText().startsWith(QStringLiteral("No images yet")));

    QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), ui::MainWindow::Page::Create);
    QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), ui::MainWindow::Page::Gallery);
    // Ctrl+F searches the page that shows.
    QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
    QVERIFY(window.galleryPanel()->filterBar()->searchField()->hasFocus());
    QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), ui::MainWindow::Page::Monitor);
    QVERIFY(!window.galleryPanel()->isVisible());
    // Help ▸ Open log folder opens Paths' log folder (made if missing).
    QList<QUrl> opened;
    window.setUrlOpener([&opened](const QUrl &url) { opened << url; });
    auto *logs = window.findChild<QAction *>(QStringLiteral("openLogFolderAction"));
    QVERIFY(logs);
    logs->trigger();
    QCOMPARE(opened, QList<QUrl>{QUrl::fromLocalFile(m_dir->paths().logDir())});
    QVERIFY(QFileInfo(m_dir->paths().logDir()).isDir());
    QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);

    QTest::mouseClick(rail->settingsButton(), Qt::LeftButton);
    QVERIFY(window.settingsDialog());
    window.settingsDialog()->reject();
}

void TestMainWindow::galleryShowJobSelectsItOnCreate()
{
    Brief b;
    b.productName = QStringLiteral("NoteKeeper");
    b.audience = QStringLiteral("Students");
    b.valueProposition = QStringLiteral("Notes that find themselves.");
    const auto first = submitBrief(*m_store, b, QStringLiteral("test"));
    b.productName = QStringLiteral("TrailLite 2");
    const auto second = submitBrief(*m_store, b, QStringLiteral("test"));
    QVERIFY(first.ok() && second.ok());
    ui::MainWindow window(*m_store, *m_settings, m_dir->paths());
    window.show();
    window.showPage(ui::MainWindow::Page::Gallery);
    Q_EMIT window.galleryPanel()->showJobRequested(first->id);
    QCOMPARE(window.currentPage(), ui::MainWindow::Page::Create);
    QCOMPARE(window.queuePanel()->currentJobId(), first->id);
}

void TestMainWindow::openImageWithoutLineageSaysSo()
{
    const QString file = m_dir->filePath(QStringLiteral("plain.png"));
    QImage image(32, 32, QImage::Format_RGB32);
    image.fill(Qt::darkCyan);
    QVERIFY(image.save(file, "png"));
    ui::MainWindow window(*m_store, *m_settings, m_dir->paths());
    window.show();
    window.openImageFile(file);
    QMessageBox *message = window.imageReimport()->message();
    QVERIFY(message);
    QVERIFY2(message->text().contains(QStringLiteral("no Brieflow lineage")),
             qPrintable(message->text()));
    QVERIFY(message->text().contains(QStringLiteral("plain.png")));
    QVERIFY(window.briefForm()->brief().productName.isEmpty());
    message->close();
}

void TestMainWindow::openImageWithLineageFillsTheForm()
{
    const QString source = m_dir->filePath(QStringLiteral("source.png"));
    QImage image(48, 32, QImage::Format_RGB32);
    image.fill(Qt::darkGreen);
    QVERIFY(image.save(source, "png"));
    ImageLineage lineage;
    lineage.jobId = JobId(QStringLiteral("0192f0c4-0000-7000-8000-000000000001"));
    lineage.outputId = OutputId(QStringLiteral("0192f0c4-0000-7000-8000-000000000002"));
    lineage.brief.productName = QStringLiteral("Café Ñandú");
    lineage.brief.audience = QStringLiteral("Early risers");
    lineage.brief.valueProposition = QStringLiteral("Coffee that waits for you.");
    lineage.conceptText = QStringLiteral("Slow mornings.");
    lineage.imagePrompt = QStringLiteral("A steaming cup on a windowsill at dawn");
    lineage.sha256 = QString(64, QLatin1Char('a'));
    lineage.mime = QStringLiteral("image/png");
    lineage.width = 48;
    lineage.height = 32;
    lineage.jobCreatedAt = QDateTime::currentDateTimeUtc();
    lineage.imageCreatedAt = lineage.jobCreatedAt;
    lineage.generator = QStringLiteral("Brieflow test");
    const auto bytes = encodeWithMetadata(source, lineage, EncodeOptions{});
    QVERIFY2(bytes.ok(), bytes.ok() ? "" : qPrintable(bytes.error()));
    const QString exported = m_dir->filePath(QStringLiteral("Cafe Nandu 1.png"));
    QFile out(exported);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(bytes.value());
    out.close();

    ui::MainWindow window(*m_store, *m_settings, m_dir->paths());
    window.show();
    window.showPage(ui::MainWindow::Page::Gallery);
    window.openImageFile(exported);
    QCOMPARE(window.currentPage(), ui::MainWindow::Page::Create);
    QCOMPARE(window.briefForm()->brief().productName, QStringLiteral("Café Ñandú"));
    QCOMPARE(window.briefForm()->brief().valueProposition,
             QStringLiteral("Coffee that waits for you."));
    QMessageBox *message = window.imageReimport()->message();
    QVERIFY(message);
    QPushButton *fromPrompt = nullptr;
    const auto buttons = message->buttons();
    for (QAbstractButton *button : buttons) {
        if (button->text().startsWith(QStringLiteral("New job from this prompt")))
            fromPrompt = qobject_cast<QPushButton *>(button);
    }
    QVERIFY(fromPrompt);
    QVERIFY(window.imageReimport()->lastLineage().has_value());
    QCOMPARE(window.imageReimport()->lastLineage()->imagePrompt, lineage.imagePrompt);
}

// The job pane has no settings of its own: its Export… opens the gallery's export dialog with
// that job's images.
void TestMainWindow::jobPaneExportOpensTheExportDialog()
{
    ui::MainWindow window(*m_store, *m_settings, m_dir->paths());
    QCOMPARE(window.findChildren<ui::ExportDialog *>().size(), 0);
    const QList<OutputId> ids{OutputId::generate(), OutputId::generate()};
    Q_EMIT window.jobDetail()->exportRequested(ids);
    const auto dialogs = window.findChildren<ui::ExportDialog *>();
    QCOMPARE(dialogs.size(), 1);
    QVERIFY(dialogs.first()->isVisible());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"

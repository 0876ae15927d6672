// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QPushButton>
#include <QStatusBar>
#include <QTableView>
#include <QTest>

#include "core/app/jobsubmission.h"
#include "core/settings.h"
#include "core/store/jobstore.h"
#include "tests/support/tempdatadir.h"
#include "ui/mainwindow.h"
#include "ui/queue/jobtablemodel.h"
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

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"

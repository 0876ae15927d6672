// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The queue's ETAs (issue 8 part 2) and its "only these jobs" filter for the Monitoring view.
#include <QDir>
#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QTest>
#include <QToolButton>

#include "core/settings.h"
#include "core/store/jobstore.h"
#include "tests/support/tempdatadir.h"
#include "tests/support/teststore.h"
#include "tests/ui/queue/historyseed.h"
#include "tests/ui/queue/queuetestutil.h"
#include "ui/queue/jobestimates.h"
#include "ui/queue/jobtablemodel.h"
#include "ui/queue/queuepanel.h"

using namespace brieflow;
using brieflow::ui::JobEstimates;
using brieflow::ui::JobTableModel;
using brieflow::ui::QueuePanel;

class TestQueueEta : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void noHistoryMeansNoEstimateYet();
    void etaFromHistoryAndPlaceInQueue();
    void settingsGiveConcurrencyAndModels();
    void showOnlyJobsAndShowAll();

private:
    int rowOf(QueuePanel &panel, const JobId &id) const { return panel.model()->rowOf(id); }
    QVariant eta(QueuePanel &panel, const JobId &id, int role = JobTableModel::EtaTextRole) const
    {
        return panel.model()->index(rowOf(panel, id), JobTableModel::Status).data(role);
    }

    std::unique_ptr<test::TempDataDir> m_dir;
    std::unique_ptr<JobStore> m_writer;
    std::unique_ptr<JobStore> m_reader;
};

void TestQueueEta::init()
{
    m_dir = std::make_unique<test::TempDataDir>();
    m_writer = test::openTestStore(*m_dir);
    QVERIFY(m_writer);
    m_reader = test::openTestStore(*m_dir, JobStore::Mode::Reader);
    QVERIFY(m_reader);
}

void TestQueueEta::cleanup()
{
    m_reader.reset();
    m_writer.reset();
    m_dir.reset();
}

void TestQueueEta::noHistoryMeansNoEstimateYet()
{
    const JobRecord first = test::addJob(*m_writer, QStringLiteral("First"));
    const JobRecord second = test::addJob(*m_writer, QStringLiteral("Second"));
    const JobRecord done = test::addJob(*m_writer, QStringLiteral("Done"));
    QVERIFY(test::setStatus(*m_writer, done.id, JobStatus::Succeeded));
    JobEstimates estimates(*m_reader);
    QueuePanel panel(*m_reader, m_writer.get(), nullptr);
    panel.setEstimates(&estimates);

    QCOMPARE(eta(panel, first.id).toString(), QStringLiteral("no estimate yet"));
    QCOMPARE(eta(panel, second.id).toString(), QStringLiteral("no estimate yet"));
    QVERIFY(!eta(panel, first.id, JobTableModel::EtaMsRole).isValid());
    QCOMPARE(eta(panel, second.id, JobTableModel::JobsAheadRole).toInt(), 1);
    // A finished job has no ETA line at all.
    QVERIFY(eta(panel, done.id).toString().isEmpty());
    const QString tip = eta(panel, second.id, Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("no estimate yet")), qPrintable(tip));
    QCOMPARE(eta(panel, first.id, Qt::AccessibleTextRole).toString(),
             QStringLiteral("Pending, no estimate yet"));

    if (const QByteArray dir = qgetenv("BRIEFLOW_UI_GRABS"); !dir.isEmpty()) {
        panel.resize(760, 200);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(panel.grab().save(QDir(QString::fromLocal8Bit(dir))
                                      .filePath(QStringLiteral("eta-queue-no-history.png"))));
    }
}

void TestQueueEta::etaFromHistoryAndPlaceInQueue()
{
    QVERIFY(test::seedHistory(*m_writer));
    // A runs (concept done, image prompt running for 5 s); B, C and D wait behind it.
    const JobRecord a = test::addJob(*m_writer, QStringLiteral("A running"));
    const JobRecord b = test::addJob(*m_writer, QStringLiteral("B"));
    const JobRecord c = test::addJob(*m_writer, QStringLiteral("C"));
    const JobRecord d = test::addJob(*m_writer, QStringLiteral("D"));
    const QDateTime now = QDateTime::currentDateTimeUtc().addSecs(60);
    auto steps = m_writer->steps(a.id);
    QVERIFY(steps);
    StepRecord conceptStep = steps->at(0);
    conceptStep.status = StepStatus::Succeeded;
    conceptStep.startedAt = now.addSecs(-40);
    conceptStep.completedAt = now.addSecs(-5);
    QVERIFY(m_writer->updateStep(conceptStep));
    StepRecord prompt = steps->at(1);
    prompt.status = StepStatus::Processing;
    prompt.attemptCount = 1;
    prompt.startedAt = now.addSecs(-5);
    QVERIFY(m_writer->updateStep(prompt));
    QVERIFY(
        test::setStatus(*m_writer, a.id, JobStatus::Processing, QStringLiteral("image_prompt")));

    JobEstimates estimates(*m_reader);
    estimates.setConcurrentJobs(2);
    estimates.setClock([now] { return now; });
    QueuePanel panel(*m_reader, m_writer.get(), nullptr);
    panel.resize(900, 400);
    panel.setEstimates(&estimates);

    // Medians (historyseed.h): concept 40 s, image prompt 20 s, image 100 s; a job 160 s.
    // A: what is left of the running step (20 − 5 s) + the image step = 115 s.
    QCOMPARE(eta(panel, a.id, JobTableModel::EtaMsRole).toLongLong(), 115'000);
    QCOMPARE(eta(panel, a.id).toString(), QStringLiteral("about 2 min"));
    // B: 1 job ahead, 2 at a time → starts at once: 160 s.
    QCOMPARE(eta(panel, b.id, JobTableModel::JobsAheadRole).toInt(), 1);
    QCOMPARE(eta(panel, b.id, JobTableModel::EtaMsRole).toLongLong(), test::historyJobMs);
    QCOMPARE(eta(panel, b.id).toString(), QStringLiteral("about 3 min"));
    // C: 2 ahead → one round of 160 s first: 320 s.
    QCOMPARE(eta(panel, c.id, JobTableModel::EtaMsRole).toLongLong(), 2 * test::historyJobMs);
    // D: 3 jobs ahead, concurrency 2 → floor(3 / 2) = 1 round: 160 + 160 = 320 s.
    QCOMPARE(eta(panel, d.id, JobTableModel::JobsAheadRole).toInt(), 3);
    QCOMPARE(eta(panel, d.id, JobTableModel::EtaMsRole).toLongLong(), 2 * test::historyJobMs);
    QCOMPARE(eta(panel, d.id).toString(), QStringLiteral("about 5 min"));
    QCOMPARE(eta(panel, d.id, Qt::ToolTipRole).toString(),
             QStringLiteral("Pending\nDone in about 5 min: 3 jobs ahead of it."));
    // Filtered, the places come from the store (JobStore::jobsAhead): the same figures.
    panel.model()->setStatusFilter(JobStatus::Pending);
    QCOMPARE(panel.model()->rowCount(), 3);
    QCOMPARE(eta(panel, b.id, JobTableModel::JobsAheadRole).toInt(), 1);
    QCOMPARE(eta(panel, d.id, JobTableModel::JobsAheadRole).toInt(), 3);
    QCOMPARE(eta(panel, d.id, JobTableModel::EtaMsRole).toLongLong(), 2 * test::historyJobMs);
    panel.model()->setStatusFilter(std::nullopt);

    if (const QByteArray dir = qgetenv("BRIEFLOW_UI_GRABS"); !dir.isEmpty()) {
        const JobRecord fresh = test::addJob(*m_writer, QStringLiteral("E"));
        panel.refresh({fresh.id});
        panel.model()->updateEstimates();
        panel.resize(760, 300);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(panel.grab().save(
            QDir(QString::fromLocal8Bit(dir)).filePath(QStringLiteral("eta-queue.png"))));
        panel.hide();
    }

    // A retry waiting for its backoff (B, 90 s from now) starts no sooner.
    JobState backoff;
    backoff.runAfter = now.addSecs(90);
    QVERIFY(m_writer->updateJobState(b.id, backoff));
    panel.refresh({b.id});
    panel.model()->updateEstimates();
    QCOMPARE(eta(panel, b.id, JobTableModel::EtaMsRole).toLongLong(), test::historyJobMs + 90'000);
    QVERIFY(m_writer->updateJobState(b.id, JobState{}));
    panel.refresh({b.id});
    panel.model()->updateEstimates();
    QCOMPARE(eta(panel, b.id, JobTableModel::EtaMsRole).toLongLong(), test::historyJobMs);

    // Paused: no time is promised.
    panel.setPaused(true);
    QCOMPARE(eta(panel, d.id).toString(), QStringLiteral("queue paused"));
    QVERIFY(!eta(panel, d.id, JobTableModel::EtaMsRole).isValid());
    panel.pauseButton()->click(); // resume
    QCOMPARE(eta(panel, d.id).toString(), QStringLiteral("about 5 min"));

    // One at a time: D waits three whole jobs (3 × 160 s) before its own 160 s.
    estimates.setConcurrentJobs(1);
    QCOMPARE(eta(panel, d.id, JobTableModel::EtaMsRole).toLongLong(), 4 * test::historyJobMs);

    // A finishing moves everyone up on the refresh cadence (not per paint).
    QVERIFY(test::setStatus(*m_writer, a.id, JobStatus::Succeeded));
    panel.refresh({a.id});
    QTRY_COMPARE_WITH_TIMEOUT(eta(panel, d.id, JobTableModel::JobsAheadRole).toInt(), 2,
                              JobTableModel::etaIntervalMs * 3);
    QCOMPARE(eta(panel, d.id, JobTableModel::EtaMsRole).toLongLong(), 3 * test::historyJobMs);
    QVERIFY(eta(panel, a.id).toString().isEmpty());
}

void TestQueueEta::settingsGiveConcurrencyAndModels()
{
    Settings settings(QDir(m_dir->path()).filePath(QStringLiteral("settings.ini")));
    settings.setValue(Settings::MaxConcurrentJobs, 3);
    settings.setValue(Settings::ImageModel, QStringLiteral("acme/other-image-model"));
    JobEstimates estimates(*m_reader);
    estimates.applySettings(settings);
    QCOMPARE(estimates.concurrentJobs(), 3);
    QCOMPARE(estimates.stepModels().value(QStringLiteral("image")),
             QStringLiteral("acme/other-image-model"));
    QCOMPARE(estimates.stepModels().value(QStringLiteral("concept")), test::llama);
    // The image model has no history: no estimate, although the other steps have one.
    QVERIFY(test::seedHistory(*m_writer));
    const JobRecord job = test::addJob(*m_writer, QStringLiteral("New model"));
    QueuePanel panel(*m_reader, m_writer.get(), nullptr);
    panel.setEstimates(&estimates);
    QCOMPARE(eta(panel, job.id).toString(), QStringLiteral("no estimate yet"));
    settings.reset(Settings::ImageModel);
    estimates.applySettings(settings); // changed() → the queue computes again
    QCOMPARE(eta(panel, job.id, JobTableModel::EtaMsRole).toLongLong(), test::historyJobMs);
}

void TestQueueEta::showOnlyJobsAndShowAll()
{
    QList<JobRecord> jobs;
    for (int i = 0; i < 5; ++i)
        jobs << test::addJob(*m_writer, QStringLiteral("Job %1").arg(i));
    QueuePanel panel(*m_reader, m_writer.get(), nullptr);
    QCOMPARE(panel.model()->rowCount(), 5);
    QVERIFY(panel.jobFilterChip()->isHidden());
    panel.searchField()->setText(QStringLiteral("Job 4")); // cleared by showOnlyJobs

    panel.showOnlyJobs({jobs.at(1).id, jobs.at(3).id}, QStringLiteral("Failed at Images"));
    QCOMPARE(panel.model()->rowCount(), 2);
    QSet<JobId> shown;
    for (int row = 0; row < panel.model()->rowCount(); ++row)
        shown.insert(panel.model()->jobId(row));
    QCOMPARE(shown, (QSet<JobId>{jobs.at(1).id, jobs.at(3).id}));
    QVERIFY(!panel.jobFilterChip()->isHidden());
    QCOMPARE(panel.jobFilterLabel()->text(), QStringLiteral("Failed at Images — 2 jobs"));
    QVERIFY(panel.searchField()->text().isEmpty());
    if (const QByteArray dir = qgetenv("BRIEFLOW_UI_GRABS"); !dir.isEmpty()) {
        panel.resize(760, 220);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(panel.grab().save(
            QDir(QString::fromLocal8Bit(dir)).filePath(QStringLiteral("queue-chip.png"))));
    }

    // Other jobs changing or appearing don't slip in.
    QVERIFY(test::setStatus(*m_writer, jobs.at(2).id, JobStatus::Failed));
    const JobRecord extra = test::addJob(*m_writer, QStringLiteral("Extra"));
    panel.refresh({jobs.at(2).id, extra.id});
    QCOMPARE(panel.model()->rowCount(), 2);
    // A job of the set that goes: the count follows.
    QVERIFY(test::setStatus(*m_writer, jobs.at(3).id, JobStatus::Succeeded));
    QVERIFY(m_writer->deleteJobs({jobs.at(3).id}));
    panel.refresh({jobs.at(3).id});
    QCOMPARE(panel.model()->rowCount(), 1);
    QCOMPARE(panel.jobFilterLabel()->text(), QStringLiteral("Failed at Images — 1 job"));

    panel.showAllButton()->click();
    QCOMPARE(panel.model()->rowCount(), 5); // 5 made, 1 deleted, 1 extra
    QVERIFY(panel.jobFilterChip()->isHidden());
    QVERIFY(panel.jobFilter().isEmpty());
}

QTEST_MAIN(TestQueueEta)
#include "tst_queueeta.moc"

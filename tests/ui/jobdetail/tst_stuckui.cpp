// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Stuck jobs in the GUI (offscreen), over a real job database: the queue shows "Stuck" with the
// reason, the job pane shows a banner with the reason and Cancel / Retry now / Keep waiting, the
// buttons ask for the actions, and the banner goes once the flag clears.
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include "core/app/jobsubmission.h"
#include "core/brief/briefjson.h"
#include "core/pipeline/jobactions.h"
#include "core/store/jobstore.h"
#include "tests/support/tempdatadir.h"
#include "tests/support/teststore.h"
#include "ui/jobdetail/jobdetailview.h"
#include "ui/queue/jobtablemodel.h"
#include "ui/shell/banner.h"

using namespace brieflow;
using brieflow::ui::JobDetailView;
using brieflow::ui::JobTableModel;

namespace {

const QString reason =
    QStringLiteral("Running for 2 min 5 s; this model usually takes about 40 s.");

} // namespace

class TestStuckUi : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void queueShowsStuckWithTheReason();
    void bannerShowsTheReasonAndTheThreeActions();
    void keepWaitingClearsTheBanner();
    void bannerIsHiddenForAJobThatIsNotStuck();
    void incidentsStayVisibleWithTheJob();

private:
    /** A submitted job whose first step is processing with a prediction, flagged stuck. */
    JobId stuckJob();

    std::unique_ptr<test::TempDataDir> m_dir;
    std::unique_ptr<JobStore> m_writer;
    std::unique_ptr<JobStore> m_reader;
    StepId m_step;
};

void TestStuckUi::init()
{
    m_dir = std::make_unique<test::TempDataDir>();
    m_writer = test::openTestStore(*m_dir);
    QVERIFY(m_writer);
    m_reader = test::openTestStore(*m_dir, JobStore::Mode::Reader);
    QVERIFY(m_reader);
}

void TestStuckUi::cleanup()
{
    m_reader.reset();
    m_writer.reset();
    m_dir.reset();
}

JobId TestStuckUi::stuckJob()
{
    QFile file(QStringLiteral(BRIEFLOW_EXAMPLES_DIR "/brief.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const auto brief = briefFromJson(file.readAll());
    if (!brief)
        return {};
    const auto job = submitBrief(*m_writer, *brief, QStringLiteral("test"));
    if (!job)
        return {};
    StepRecord step = m_writer->steps(job->id).value().first();
    step.status = StepStatus::Processing;
    step.attemptCount = 1;
    step.startedAt = QDateTime::currentDateTimeUtc();
    if (!m_writer->updateStep(step)
        || !m_writer->updateJobStatus(job->id, JobStatus::Processing, step.name))
        return {};
    auto call = m_writer->recordCallIntent(job->id, step.id, 1, QStringLiteral("owner/model"),
                                           QStringLiteral("abc"));
    if (!call)
        return {};
    call->state = CallState::Submitted;
    call->predictionId = QStringLiteral("pred-1");
    if (!m_writer->updateCall(*call)
        || !m_writer->setStepStuck(step.id, reason, 5000).valueOr(false))
        return {};
    m_step = step.id;
    return job->id;
}

void TestStuckUi::queueShowsStuckWithTheReason()
{
    const JobId id = stuckJob();
    QVERIFY(!id.isNull());
    JobTableModel model(*m_reader);
    const int row = model.rowOf(id);
    QVERIFY(row >= 0);
    const QModelIndex status = model.index(row, JobTableModel::Status);
    QCOMPARE(status.data(Qt::DisplayRole).toString(), QStringLiteral("Stuck"));
    QVERIFY(status.data(Qt::ToolTipRole).toString().contains(reason));
    QCOMPARE(status.data(JobTableModel::StuckReasonRole).toString(), reason);
    QVERIFY(!status.data(Qt::DecorationRole).value<QIcon>().isNull());
    // The job's status itself stays processing: "stuck" is a flag on top.
    QCOMPARE(toString(static_cast<JobStatus>(status.data(JobTableModel::JobStatusRole).toInt())),
             toString(JobStatus::Processing));
}

void TestStuckUi::bannerShowsTheReasonAndTheThreeActions()
{
    const JobId id = stuckJob();
    QVERIFY(!id.isNull());
    JobDetailView view(*m_reader, m_writer.get(), nullptr, m_dir->filePath(QStringLiteral("o")));
    view.resize(700, 800);
    view.show();
    view.showJob(id);
    QVERIFY(view.stuckBanner()->isVisible());
    QVERIFY2(view.stuckBanner()->text().contains(reason), qPrintable(view.stuckBanner()->text()));
    QVERIFY(view.headline().endsWith(QStringLiteral("Stuck")));
    QCOMPARE(view.stuckCancelButton()->text(), QStringLiteral("Cancel"));
    QCOMPARE(view.stuckRetryButton()->text(), QStringLiteral("Retry now"));
    QCOMPARE(view.stuckKeepWaitingButton()->text(), QStringLiteral("Keep waiting"));

    QSignalSpy cancel(&view, &JobDetailView::cancelRequested);
    QSignalSpy retry(&view, &JobDetailView::retryRequested);
    QSignalSpy keep(&view, &JobDetailView::keepWaitingRequested);
    QTest::mouseClick(view.stuckCancelButton(), Qt::LeftButton);
    QCOMPARE(cancel.size(), 1);
    QCOMPARE(cancel.first().first().value<QList<JobId>>(), QList<JobId>{id});
    QTest::mouseClick(view.stuckRetryButton(), Qt::LeftButton);
    QCOMPARE(retry.size(), 1);
    const auto requests = retry.first().first().value<QList<RetryRequest>>();
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests.first().job, id);
    QVERIFY(requests.first().fromStep.isEmpty()); // the stuck step, not a re-run from a step
    QVERIFY(!requests.first().editedInput);
    QTest::mouseClick(view.stuckKeepWaitingButton(), Qt::LeftButton);
    QCOMPARE(keep.size(), 1);
    QCOMPARE(keep.first().first().value<JobId>(), id);
}

void TestStuckUi::keepWaitingClearsTheBanner()
{
    const JobId id = stuckJob();
    QVERIFY(!id.isNull());
    JobDetailView view(*m_reader, m_writer.get(), nullptr, m_dir->filePath(QStringLiteral("o")));
    view.show();
    view.showJob(id);
    QVERIFY(view.stuckBanner()->isVisible());
    // What the engine does with the request (EngineHost::keepWaiting → keepWaiting()).
    connect(&view, &JobDetailView::keepWaitingRequested, this, [&](const JobId &job) {
        QVERIFY(keepWaiting(*m_writer, job));
        view.onJobsChanged({job});
    });
    QTest::mouseClick(view.stuckKeepWaitingButton(), Qt::LeftButton);
    QVERIFY(!view.stuckBanner()->isVisible());
    QVERIFY(!view.headline().endsWith(QStringLiteral("Stuck")));
    QVERIFY(m_reader->step(m_step).value()->stuckSnoozedUntil.isValid());
}

void TestStuckUi::bannerIsHiddenForAJobThatIsNotStuck()
{
    const JobId id = stuckJob();
    QVERIFY(!id.isNull());
    QVERIFY(m_writer->clearStepStuck(m_step));
    JobDetailView view(*m_reader, m_writer.get(), nullptr, m_dir->filePath(QStringLiteral("o")));
    view.show();
    view.showJob(id);
    QVERIFY(!view.stuckBanner()->isVisible());
    QSignalSpy keep(&view, &JobDetailView::keepWaitingRequested);
    view.keepWaiting();
    QCOMPARE(keep.size(), 0);
}

void TestStuckUi::incidentsStayVisibleWithTheJob()
{
    const JobId id = stuckJob();
    QVERIFY(!id.isNull());
    JobDetailView view(*m_reader, m_writer.get(), nullptr, m_dir->filePath(QStringLiteral("o")));
    view.show();
    view.showJob(id);
    QVERIFY(!view.incidentBanner()->isVisible());

    const QString first = QStringLiteral("Replicate had 1 extra prediction for this step (p-2).");
    const QString second = QStringLiteral("Replicate had 2 extra predictions for this step.");
    QVERIFY(m_writer->appendEvent(id, m_step, QStringLiteral("incident"), first));
    view.onJobsChanged({id});
    QVERIFY(view.incidentBanner()->isVisible());
    QCOMPARE(view.incidentBanner()->text(), first);
    QVERIFY(m_writer->appendEvent(id, m_step, QStringLiteral("incident"), second));
    QVERIFY(m_writer->appendEvent(id, m_step, QStringLiteral("stuck"), QStringLiteral("other")));
    view.onJobsChanged({id});
    QVERIFY(view.incidentBanner()->text().startsWith(second));
    QVERIFY(view.incidentBanner()->text().contains(QStringLiteral("1 earlier incident")));
    // Another job without incidents hides it.
    view.showJob(JobId());
    QVERIFY(!view.incidentBanner()->isVisible());
}

QTEST_MAIN(TestStuckUi)
#include "tst_stuckui.moc"

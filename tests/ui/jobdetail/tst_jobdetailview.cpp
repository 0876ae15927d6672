// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTextDocument>
#include <QThread>
#include <QUrl>

#include "core/pipeline/stepoutput.h"
#include "core/store/jobstore.h"
#include "tests/support/tempdatadir.h"
#include "tests/support/teststore.h"
#include "tests/ui/queue/queuetestutil.h"
#include "ui/jobdetail/jobdetailview.h"
#include "ui/jobdetail/stepcard.h"
#include "ui/queue/thumbnailcache.h"

using namespace brieflow;
using brieflow::ui::JobDetailView;
using brieflow::ui::StepCard;

class TestJobDetailView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void showsEveryStepOfAPendingJob();
    void failedStepShowsMessageDetailsAndRetry();
    void needsAttentionAndProcessing();
    void conceptStreamsIn();
    void editConceptRerunsFromImagePrompt();
    void editImagePromptRerunsFromImages();
    void retryFromThisStepAsksFirst();
    void imagesAppearAsThumbnails();
    void deleteAsksAndRemovesTheJob();
    void cancelAndDuplicate();
    void refreshUpdatesOnlyTheCardsThatChanged();

private:
    JobRecord makeJob(JobStatus status);
    StepRecord &step(QList<StepRecord> &steps, const QString &name);
    bool save(const QList<StepRecord> &steps);
    JobDetailView *makeView();

    std::unique_ptr<test::TempDataDir> m_dir;
    std::unique_ptr<JobStore> m_writer;
    std::unique_ptr<JobStore> m_reader;
    std::unique_ptr<ui::ThumbnailCache> m_cache;
    std::unique_ptr<JobDetailView> m_view;
    QList<QUrl> m_opened;
};

void TestJobDetailView::init()
{
    m_dir = std::make_unique<test::TempDataDir>();
    m_writer = test::openTestStore(*m_dir);
    QVERIFY(m_writer);
    m_reader = test::openTestStore(*m_dir, JobStore::Mode::Reader);
    QVERIFY(m_reader);
    m_cache = std::make_unique<ui::ThumbnailCache>(m_dir->filePath(QStringLiteral("cache")));
    m_opened.clear();
}

void TestJobDetailView::cleanup()
{
    m_view.reset();
    m_cache.reset();
    m_reader.reset();
    m_writer.reset();
    m_dir.reset();
}

JobDetailView *TestJobDetailView::makeView()
{
    m_view = std::make_unique<JobDetailView>(*m_reader, m_writer.get(), m_cache.get(),
                                             m_dir->filePath(QStringLiteral("outputs")));
    m_view->setOpener([this](const QUrl &url) { m_opened << url; });
    m_view->resize(480, 800);
    return m_view.get();
}

JobRecord TestJobDetailView::makeJob(JobStatus status)
{
    JobRecord job = test::addJob(*m_writer, QStringLiteral("TrailLite 2"));
    if (status != JobStatus::Pending && !test::setStatus(*m_writer, job.id, status))
        return {};
    job.status = status;
    return job;
}

StepRecord &TestJobDetailView::step(QList<StepRecord> &steps, const QString &name)
{
    for (StepRecord &s : steps) {
        if (s.name == name)
            return s;
    }
    static StepRecord none;
    return none;
}

bool TestJobDetailView::save(const QList<StepRecord> &steps)
{
    for (const StepRecord &s : steps) {
        if (!m_writer->updateStep(s))
            return false;
    }
    return true;
}

void TestJobDetailView::showsEveryStepOfAPendingJob()
{
    const JobRecord job = makeJob(JobStatus::Pending);
    JobDetailView *view = makeView();
    view->showJob(job.id);
    QCOMPARE(view->stepCount(), 4);
    QCOMPARE(view->headline(), QStringLiteral("TrailLite 2 · Pending"));
    QCOMPARE(view->card(0)->stepView().title, QStringLiteral("Campaign concept"));
    QCOMPARE(view->card(2)->stepView().title, QStringLiteral("Images"));
    QCOMPARE(view->card(2)->stepView().model, QStringLiteral("black-forest-labs/flux-schnell"));
    for (int i = 0; i < 4; ++i)
        QCOMPARE(view->card(i)->stateText(), QStringLiteral("Waiting"));
    QVERIFY(view->cancelButton()->isVisibleTo(view));
    QVERIFY(!view->retryButton()->isVisibleTo(view));
    QVERIFY(!view->deleteButton()->isEnabled()); // cancel first
    view->showJob(JobId());
    QCOMPARE(view->stepCount(), 0);
}

void TestJobDetailView::failedStepShowsMessageDetailsAndRetry()
{
    const JobRecord job = makeJob(JobStatus::Failed);
    auto steps = m_writer->steps(job.id).value();
    StepRecord &conceptStep = step(steps, QStringLiteral("concept"));
    conceptStep.status = StepStatus::Succeeded;
    conceptStep.attemptCount = 1;
    conceptStep.outputPayload = textStepOutput(QStringLiteral("Run lighter, go further."));
    conceptStep.startedAt = QDateTime::currentDateTimeUtc().addSecs(-10);
    conceptStep.completedAt = conceptStep.startedAt.addMSecs(4100);
    StepRecord &prompt = step(steps, QStringLiteral("image_prompt"));
    prompt.status = StepStatus::Failed;
    prompt.attemptCount = 3;
    prompt.errorType = QStringLiteral("output_rejected");
    prompt.errorMessage = QStringLiteral("The model's answer wasn't a usable image prompt.");
    QVERIFY(save(steps));
    auto call = m_writer->recordCallIntent(job.id, prompt.id, 3, QStringLiteral("meta/llama"),
                                           QStringLiteral("abc"));
    QVERIFY(call);
    call->predictionId = QStringLiteral("pred-xyz");
    call->state = CallState::Succeeded;
    call->errorType = QStringLiteral("output_rejected");
    call->errorMessage = QStringLiteral("answer was an apology");
    call->rawLastResponse = QByteArrayLiteral("{\"status\":\"succeeded\"}");
    QVERIFY(m_writer->updateCall(*call).ok());

    JobDetailView *view = makeView();
    view->showJob(job.id);
    StepCard *card = view->card(QStringLiteral("image_prompt"));
    QVERIFY(card);
    QCOMPARE(card->stateText(), QStringLiteral("Failed"));
    QCOMPARE(card->errorText(), prompt.errorMessage);
    QVERIFY(card->detailsText().contains(QStringLiteral("pred-xyz")));
    QVERIFY(card->detailsText().contains(QStringLiteral("output_rejected")));
    QVERIFY(card->detailsText().contains(QStringLiteral("answer was an apology")));
    QVERIFY(card->retryButton()->isVisibleTo(view));
    QCOMPARE(card->stepView().model, QStringLiteral("meta/llama"));
    QCOMPARE(view->card(0)->outputText(), QStringLiteral("Run lighter, go further."));
    QCOMPARE(view->card(0)->stateText(), QStringLiteral("Done"));

    QSignalSpy retried(view, &JobDetailView::retryRequested);
    view->retryButton()->click();
    card->retryButton()->click();
    QCOMPARE(retried.count(), 2);
    for (int i = 0; i < 2; ++i) {
        const auto requests = retried.at(i).at(0).value<QList<RetryRequest>>();
        QCOMPARE(requests.size(), 1);
        QCOMPARE(requests.at(0).job, job.id);
        QCOMPARE(requests.at(0).fromStep, QStringLiteral("image_prompt"));
        QVERIFY(!requests.at(0).editedInput);
    }
    card->copyDetails();
}

void TestJobDetailView::needsAttentionAndProcessing()
{
    const JobRecord job = makeJob(JobStatus::NeedsAttention);
    auto steps = m_writer->steps(job.id).value();
    StepRecord &conceptStep = step(steps, QStringLiteral("concept"));
    conceptStep.status = StepStatus::NeedsAttention;
    conceptStep.attemptCount = 1;
    conceptStep.errorType = QStringLiteral("unauthenticated");
    conceptStep.errorMessage = QStringLiteral("Replicate didn't accept your API token.");
    QVERIFY(save(steps));
    JobDetailView *view = makeView();
    view->showJob(job.id);
    QCOMPARE(view->card(0)->stateText(), QStringLiteral("Needs attention"));
    QCOMPARE(view->card(0)->errorText(), conceptStep.errorMessage);
    QVERIFY(view->cancelButton()->isVisibleTo(view));
    QVERIFY(view->retryButton()->isVisibleTo(view));

    QVERIFY(test::setStatus(*m_writer, job.id, JobStatus::Processing, QStringLiteral("concept")));
    conceptStep.status = StepStatus::Processing;
    conceptStep.errorType.clear();
    conceptStep.errorMessage.clear();
    QVERIFY(save(steps));
    view->onJobsChanged({job.id});
    QCOMPARE(view->card(0)->stateText(), QStringLiteral("Running"));
    QVERIFY(view->card(0)->errorText().isEmpty());
    QVERIFY(!view->card(0)->retryButton()->isVisibleTo(view));
    QCOMPARE(view->headline(), QStringLiteral("TrailLite 2 · Processing"));
}

void TestJobDetailView::conceptStreamsIn()
{
    const JobRecord job = makeJob(JobStatus::Processing);
    auto steps = m_writer->steps(job.id).value();
    step(steps, QStringLiteral("concept")).status = StepStatus::Processing;
    QVERIFY(save(steps));
    JobDetailView *view = makeView();
    view->showJob(job.id);
    view->onStepText(job.id, QStringLiteral("concept"), QStringLiteral("Headline:"));
    QCOMPARE(view->card(0)->outputText(), QStringLiteral("Headline:"));
    view->onStepText(job.id, QStringLiteral("concept"), QStringLiteral("Headline: Run lighter"));
    QCOMPARE(view->card(0)->outputText(), QStringLiteral("Headline: Run lighter"));
    view->onStepText(JobId::generate(), QStringLiteral("concept"), QStringLiteral("other job"));
    QCOMPARE(view->card(0)->outputText(), QStringLiteral("Headline: Run lighter"));
    // A refresh while it streams keeps the text so far.
    view->refresh();
    QCOMPARE(view->card(0)->outputText(), QStringLiteral("Headline: Run lighter"));
}

void TestJobDetailView::editConceptRerunsFromImagePrompt()
{
    const JobRecord job = makeJob(JobStatus::Succeeded);
    auto steps = m_writer->steps(job.id).value();
    for (StepRecord &s : steps)
        s.status = StepStatus::Succeeded;
    step(steps, QStringLiteral("concept")).outputPayload = textStepOutput(QStringLiteral("Old"));
    step(steps, QStringLiteral("image_prompt")).outputPayload =
        textStepOutput(QStringLiteral("A trail runner at dawn"));
    QVERIFY(save(steps));
    JobDetailView *view = makeView();
    view->showJob(job.id);
    StepCard *conceptStep = view->card(QStringLiteral("concept"));
    QVERIFY(conceptStep->editButton()->isVisibleTo(view));
    QVERIFY(!view->card(QStringLiteral("image"))->editButton()->isVisibleTo(view));
    conceptStep->editButton()->click();
    QVERIFY(conceptStep->isEditing());
    QVERIFY(conceptStep->rerunButton()->isVisibleTo(view));
    conceptStep->outputEdit()->setPlainText(QStringLiteral("Run lighter, go further."));
    QSignalSpy retried(view, &JobDetailView::retryRequested);
    conceptStep->rerunButton()->click();
    QCOMPARE(retried.count(), 1);
    const RetryRequest request = retried.at(0).at(0).value<QList<RetryRequest>>().at(0);
    QCOMPARE(request.job, job.id);
    QCOMPARE(request.fromStep, QStringLiteral("image_prompt"));
    QCOMPARE(request.editedInput.value_or(QString()), QStringLiteral("Run lighter, go further."));
    QVERIFY(!conceptStep->isEditing());
}

void TestJobDetailView::editImagePromptRerunsFromImages()
{
    const JobRecord job = makeJob(JobStatus::Failed);
    auto steps = m_writer->steps(job.id).value();
    step(steps, QStringLiteral("concept")).status = StepStatus::Succeeded;
    StepRecord &prompt = step(steps, QStringLiteral("image_prompt"));
    prompt.status = StepStatus::Succeeded;
    prompt.outputPayload = textStepOutput(QStringLiteral("A nude runner"));
    StepRecord &image = step(steps, QStringLiteral("image"));
    image.status = StepStatus::Failed;
    image.errorType = QStringLiteral("policy_refusal");
    image.errorMessage = QStringLiteral("The image model refused this prompt (safety filter).");
    QVERIFY(save(steps));
    JobDetailView *view = makeView();
    view->showJob(job.id);
    StepCard *card = view->card(QStringLiteral("image_prompt"));
    card->startEditing();
    card->outputEdit()->setPlainText(QStringLiteral("A runner in a red jacket"));
    QSignalSpy retried(view, &JobDetailView::retryRequested);
    card->rerunButton()->click();
    const RetryRequest request = retried.at(0).at(0).value<QList<RetryRequest>>().at(0);
    QCOMPARE(request.fromStep, QStringLiteral("image"));
    QCOMPARE(request.editedInput.value_or(QString()), QStringLiteral("A runner in a red jacket"));
    // Cancel edit puts the stored text back.
    card->startEditing();
    card->outputEdit()->setPlainText(QStringLiteral("scratch"));
    card->cancelEditing();
    QCOMPARE(card->outputText(), QStringLiteral("A nude runner"));
}

void TestJobDetailView::retryFromThisStepAsksFirst()
{
    const JobRecord job = makeJob(JobStatus::Succeeded);
    auto steps = m_writer->steps(job.id).value();
    for (StepRecord &s : steps)
        s.status = StepStatus::Succeeded;
    QVERIFY(save(steps));
    JobDetailView *view = makeView();
    bool answer = false;
    QString asked;
    view->setConfirm([&](const QString &, const QString &text) {
        asked = text;
        return answer;
    });
    view->showJob(job.id);
    QSignalSpy retried(view, &JobDetailView::retryRequested);
    StepCard *card = view->card(QStringLiteral("image"));
    QVERIFY(card->retryFromHereButton()->isVisibleTo(view));
    card->retryFromHereButton()->click();
    QVERIFY(asked.contains(QStringLiteral("“Images”")));
    QCOMPARE(retried.count(), 0);
    answer = true;
    card->retryFromHereButton()->click();
    QCOMPARE(retried.count(), 1);
    QCOMPARE(retried.at(0).at(0).value<QList<RetryRequest>>().at(0).fromStep,
             QStringLiteral("image"));
}

void TestJobDetailView::imagesAppearAsThumbnails()
{
    const JobRecord job = makeJob(JobStatus::Processing);
    auto steps = m_writer->steps(job.id).value();
    StepRecord &image = step(steps, QStringLiteral("image"));
    image.status = StepStatus::Processing;
    QVERIFY(save(steps));
    JobDetailView *view = makeView();
    view->showJob(job.id);
    StepCard *card = view->card(QStringLiteral("image"));
    QCOMPARE(card->imageCount(), 0);

    // The downloader stores the images one by one; the view shows each at once.
    for (int i = 0; i < 2; ++i) {
        const QString file = m_dir->filePath(QStringLiteral("out%1.png").arg(i));
        QVERIFY(test::writeImage(file, QSize(1024, 576), i ? Qt::red : Qt::blue));
        OutputRecord output;
        output.jobId = job.id;
        output.stepId = image.id;
        output.kind = QStringLiteral("image");
        output.filePath = file;
        output.sha256 = QStringLiteral("%1%1").arg(i + 10);
        output.mime = QStringLiteral("image/png");
        output.width = 1024;
        output.height = 576;
        QVERIFY(m_writer->addOutput(output).ok());
        view->onJobsChanged({job.id});
        QCOMPARE(card->imageCount(), i + 1);
    }
    QTRY_VERIFY(!card->imageStrip()->item(0)->icon().isNull()
                && !card->imageStrip()->item(1)->icon().isNull());
    QVERIFY(!m_cache->workedOnThread(QThread::currentThread()));
    QCOMPARE(m_cache->decodeCount(), 2);

    Q_EMIT card->imageStrip()->itemActivated(card->imageStrip()->item(1));
    QCOMPARE(m_opened.size(), 1);
    QCOMPARE(m_opened.at(0).toLocalFile(), m_dir->filePath(QStringLiteral("out1.png")));
    view->openOutputFolder();
    QCOMPARE(m_opened.at(1).toLocalFile(), m_dir->path());
}

void TestJobDetailView::deleteAsksAndRemovesTheJob()
{
    const JobRecord job = makeJob(JobStatus::Failed);
    JobDetailView *view = makeView();
    int asked = 0;
    view->setConfirm([&](const QString &, const QString &text) {
        ++asked;
        return text.contains(QStringLiteral("TrailLite 2"));
    });
    view->showJob(job.id);
    QSignalSpy deleted(view, &JobDetailView::jobDeleted);
    QVERIFY(view->deleteButton()->isEnabled());
    view->deleteButton()->click();
    QCOMPARE(asked, 1);
    QCOMPARE(deleted.count(), 1);
    QVERIFY(!m_reader->job(job.id).value().has_value());
    QCOMPARE(view->stepCount(), 0);
}

void TestJobDetailView::cancelAndDuplicate()
{
    const JobRecord job = makeJob(JobStatus::Processing);
    JobDetailView *view = makeView();
    view->showJob(job.id);
    QSignalSpy canceled(view, &JobDetailView::cancelRequested);
    QSignalSpy duplicated(view, &JobDetailView::duplicateRequested);
    view->cancelButton()->click();
    QCOMPARE(canceled.at(0).at(0).value<QList<JobId>>(), QList<JobId>{job.id});
    view->duplicateButton()->click();
    QCOMPARE(duplicated.at(0).at(0).value<Brief>().productName, QStringLiteral("TrailLite 2"));
}

QTEST_MAIN(TestJobDetailView)
void TestJobDetailView::refreshUpdatesOnlyTheCardsThatChanged()
{
    const JobRecord job = makeJob(JobStatus::Processing);
    JobDetailView *view = makeView();
    view->showJob(job.id);
    QVERIFY(view->stepCount() >= 3);
    QList<StepCard *> cards;
    QList<int> updates;
    for (int i = 0; i < view->stepCount(); ++i) {
        cards << view->card(i);
        updates << view->card(i)->updateCount();
    }

    // Nothing changed: the same cards, and none of them re-set.
    view->refresh();
    view->onJobsChanged({JobId::generate()}); // another job: not even read
    for (int i = 0; i < view->stepCount(); ++i) {
        QCOMPARE(view->card(i), cards.at(i));
        QCOMPARE(view->card(i)->updateCount(), updates.at(i));
    }

    // The first step finished with a long text: only its card changes; the text is set once.
    auto steps = m_writer->steps(job.id).value();
    steps[0].status = StepStatus::Succeeded;
    steps[0].outputPayload = textStepOutput(QString(4000, u'x'));
    QVERIFY(save(steps));
    view->onJobsChanged({job.id});
    QCOMPARE(view->card(0), cards.at(0));
    QCOMPARE(view->card(0)->updateCount(), updates.at(0) + 1);
    for (int i = 1; i < view->stepCount(); ++i)
        QCOMPARE(view->card(i)->updateCount(), updates.at(i));
    QTextDocument *document = view->card(0)->outputEdit()->document();
    const int revision = document->revision();
    view->refresh();
    QCOMPARE(document->revision(), revision);
    QCOMPARE(view->card(0)->updateCount(), updates.at(0) + 1);

    // Another job of the same workflow reuses the cards.
    const JobRecord other = makeJob(JobStatus::Pending);
    view->showJob(other.id);
    for (int i = 0; i < view->stepCount(); ++i)
        QCOMPARE(view->card(i), cards.at(i));
    QVERIFY(view->card(0)->outputText().isEmpty());
}

#include "tst_jobdetailview.moc"

// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// "Use again" through the real engine and sandbox: rerunJob() and submitFromImagePrompt().
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include "core/pipeline/stepoutput.h"
#include "tests/core/store/storetestutil.h"
#include "tests/pipeline/enginerig.h"

using namespace brieflow;
using namespace brieflow::test;

namespace {

Brief exampleBrief()
{
    QFile file(QStringLiteral(BRIEFLOW_EXAMPLES_DIR "/brief.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return briefFromJson(file.readAll()).value();
}

QList<EventRecord> eventsOfKind(const JobStore &store, const JobId &job, const QString &kind)
{
    QList<EventRecord> found;
    const QList<EventRecord> events = store.events(job).value();
    for (const EventRecord &e : events) {
        if (e.kind == kind)
            found << e;
    }
    return found;
}

QSet<OutputId> outputIds(const JobStore &store, const JobId &job)
{
    QSet<OutputId> ids;
    const QList<OutputRecord> outputs = store.outputs(job).value();
    for (const OutputRecord &o : outputs)
        ids.insert(o.id);
    return ids;
}

const QString goodPrompt = QStringLiteral(
    "A trail runner in forest green shoes crossing wet granite at sunrise, mist in the pines "
    "behind, low warm side light, wide 16:9 frame with calm sky on the left for a headline.");

} // namespace

class TestUseAgain : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rerunRunsEveryStepAgain();
    void rerunOfAMissingOrForeignJob();
    void imagePromptJobPaysOnlyForTheImages();
    void badPromptsAreRefusedAndNothingIsQueued_data();
    void badPromptsAreRefusedAndNothingIsQueued();
};

void TestUseAgain::rerunRunsEveryStepAgain()
{
    EngineRig rig;
    const JobId source = rig.submit();
    QVERIFY(!source.isNull());
    QVERIFY(rig.runUntilIdle());
    QCOMPARE(rig.status(source), QStringLiteral("succeeded"));
    const int createsBefore = rig.server->stats().predictionsCreated;
    QCOMPARE(createsBefore, 3);

    const auto again = rerunJob(*rig.store, source);
    VERIFY_OK(again);
    QVERIFY(again->id != source);
    COMPARE_ENUM(again->status, JobStatus::Pending);
    QCOMPARE(again->inputPayload, rig.job(source).inputPayload);
    const auto created = eventsOfKind(*rig.store, again->id, QStringLiteral("created"));
    QCOMPARE(created.size(), 1);
    QVERIFY2(created.first().message.contains(source.toString()),
             qPrintable(created.first().message));
    QCOMPARE(QJsonDocument::fromJson(created.first().data)
                 .object()
                 .value(QStringLiteral("source_job"))
                 .toString(),
             source.toString());

    QVERIFY(rig.runUntilIdle());
    QCOMPARE(rig.status(again->id), QStringLiteral("succeeded"));
    // Every model step ran again: three new predictions, one per step.
    QCOMPARE(rig.server->stats().predictionsCreated, createsBefore + 3);
    for (const QString &name :
         {QStringLiteral("concept"), QStringLiteral("image_prompt"), QStringLiteral("image")}) {
        const auto calls = rig.calls(again->id, name);
        QCOMPARE(calls.size(), 1);
        COMPARE_ENUM(calls.first().state, CallState::Succeeded);
    }
    // Its own image records (the files may be shared: outputs are stored by content).
    const QSet<OutputId> mine = outputIds(*rig.store, again->id);
    QCOMPARE(mine.size(), 2);
    QVERIFY(!mine.intersects(outputIds(*rig.store, source)));
    const QList<OutputId> listed =
        outputIdsOfStepOutput(rig.step(again->id, QStringLiteral("image")).outputPayload);
    QCOMPARE(QSet<OutputId>(listed.cbegin(), listed.cend()), mine);
    // The source job is as it was.
    QCOMPARE(rig.status(source), QStringLiteral("succeeded"));
    QCOMPARE(outputIds(*rig.store, source).size(), 2);
}

void TestUseAgain::rerunOfAMissingOrForeignJob()
{
    EngineRig rig;
    const auto missing = rerunJob(*rig.store, JobId::generate());
    QVERIFY(!missing);
    COMPARE_ENUM(missing.error().kind, StoreError::Kind::NotFound);
    QVERIFY(!missing.error().message.isEmpty());

    const auto foreign = rig.store->createJob(
        {QStringLiteral("campaign_asset"), "{\"not\":\"a brief\"}", strings({"concept"})});
    VERIFY_OK(foreign);
    const int jobsBefore = rig.store->countJobs({}).value();
    const auto refused = rerunJob(*rig.store, foreign->id);
    QVERIFY(!refused);
    COMPARE_ENUM(refused.error().kind, StoreError::Kind::Constraint);
    QVERIFY(!refused.error().message.isEmpty());
    QCOMPARE(rig.store->countJobs({}).value(), jobsBefore);
}

void TestUseAgain::imagePromptJobPaysOnlyForTheImages()
{
    EngineRig rig;
    const Brief brief = exampleBrief();
    QVERIFY(!brief.productName.isEmpty());
    const QString conceptText = QStringLiteral("Headline: One shoe, every surface.");
    // Wrapped the way models answer: the check's cleaning takes the label off.
    const auto job = submitFromImagePrompt(*rig.store, brief, conceptText,
                                           QStringLiteral("Image prompt: ") + goodPrompt,
                                           QStringLiteral("job 0192-test"));
    VERIFY_OK(job);
    COMPARE_ENUM(job->status, JobStatus::Pending);
    QCOMPARE(job->currentStep, QStringLiteral("image"));

    // The text steps look exactly as if the engine had run them.
    const StepRecord conceptStep = rig.step(job->id, QStringLiteral("concept"));
    const StepRecord promptStep = rig.step(job->id, QStringLiteral("image_prompt"));
    for (const StepRecord &s : {conceptStep, promptStep}) {
        COMPARE_ENUM(s.status, StepStatus::Succeeded);
        QVERIFY(s.startedAt.isValid());
        QVERIFY(s.completedAt.isValid());
        QVERIFY(rig.store->calls(s.id).value().isEmpty());
    }
    QCOMPARE(conceptStep.outputPayload, textStepOutput(conceptText));
    QCOMPARE(promptStep.outputPayload, textStepOutput(goodPrompt));
    const auto reused = eventsOfKind(*rig.store, job->id, QStringLiteral("reused"));
    QCOMPARE(reused.size(), 1);
    QVERIFY(reused.first().message.contains(QStringLiteral("job 0192-test")));

    const qsizetype before = rig.server->predictions().size();
    QVERIFY(rig.runUntilIdle());
    QCOMPARE(rig.status(job->id), QStringLiteral("succeeded"));
    // Exactly one paid prediction, and it was the image model's.
    const auto &predictions = rig.server->predictions();
    QCOMPARE(predictions.size() - before, 1);
    const auto *created = predictions.last();
    QVERIFY(created->model);
    QCOMPARE(created->model->owner + QLatin1Char('/') + created->model->name,
             QStringLiteral("black-forest-labs/flux-schnell"));
    QVERIFY(rig.calls(job->id, QStringLiteral("concept")).isEmpty());
    QVERIFY(rig.calls(job->id, QStringLiteral("image_prompt")).isEmpty());
    const auto imageCalls = rig.calls(job->id, QStringLiteral("image"));
    QCOMPARE(imageCalls.size(), 1);
    QCOMPARE(imageCalls.first().predictionId, created->id);

    // The image step's input used the given prompt: in the store and as the sandbox received it.
    const StepRecord imageStep = rig.step(job->id, QStringLiteral("image"));
    QCOMPARE(QJsonDocument::fromJson(imageStep.inputPayload)
                 .object()
                 .value(QStringLiteral("prompt"))
                 .toString(),
             goodPrompt);
    const auto *served = rig.server->prediction(imageCalls.first().predictionId);
    QVERIFY(served);
    QCOMPARE(
        QJsonDocument::fromJson(served->input).object().value(QStringLiteral("prompt")).toString(),
        goodPrompt);
    QCOMPARE(rig.store->outputs(job->id).value().size(), brief.image.count);
    // The job's summary carries the reused texts.
    const QJsonObject texts = QJsonDocument::fromJson(rig.job(job->id).outputPayload)
                                  .object()
                                  .value(QStringLiteral("texts"))
                                  .toObject();
    QCOMPARE(texts.value(QStringLiteral("image_prompt")).toString(), goodPrompt);
    QCOMPARE(texts.value(QStringLiteral("concept")).toString(), conceptText);
}

void TestUseAgain::badPromptsAreRefusedAndNothingIsQueued_data()
{
    QTest::addColumn<QString>("conceptText");
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<bool>("invalidBrief");
    QTest::addColumn<QString>("messagePart");
    const QString conceptText = QStringLiteral("Headline: One shoe, every surface.");
    QTest::newRow("apology") << conceptText
                             << QStringLiteral("I'm sorry, but I can't write an image prompt for "
                                               "this product.")
                             << false << QStringLiteral("apology");
    QTest::newRow("empty") << conceptText << QStringLiteral("  \n ") << false
                           << QStringLiteral("image prompt");
    QTest::newRow("two paragraphs")
        << conceptText
        << QStringLiteral(
               "A runner on a wet granite ridge at sunrise, mist behind.\n\nAlternatively, "
               "a close-up of the shoe on a muddy forest path at dusk.")
        << false << QStringLiteral("image prompt");
    QTest::newRow("empty concept")
        << QStringLiteral(" ") << goodPrompt << false << QStringLiteral("concept");
    QTest::newRow("invalid brief") << conceptText << goodPrompt << true << QStringLiteral("brief");
}

void TestUseAgain::badPromptsAreRefusedAndNothingIsQueued()
{
    QFETCH(QString, conceptText);
    QFETCH(QString, prompt);
    QFETCH(bool, invalidBrief);
    QFETCH(QString, messagePart);
    EngineRig rig;
    Brief brief = exampleBrief();
    if (invalidBrief)
        brief.productName.clear();
    const auto refused =
        submitFromImagePrompt(*rig.store, brief, conceptText, prompt, QStringLiteral("test"));
    QVERIFY(!refused);
    COMPARE_ENUM(refused.error().kind, StoreError::Kind::Constraint);
    QVERIFY2(refused.error().message.contains(messagePart, Qt::CaseInsensitive),
             qPrintable(refused.error().message));
    QCOMPARE(rig.store->countJobs({}).value(), 0);
    // Nothing runs either.
    QVERIFY(rig.runUntilIdle());
    QCOMPARE(rig.server->stats().predictionsCreated, 0);
}

QTEST_GUILESS_MAIN(TestUseAgain)
#include "tst_useagain.moc"

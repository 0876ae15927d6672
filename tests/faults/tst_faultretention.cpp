// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// F10 (reliability-performance.md §8, issue 7 §5): the app is down across Replicate's one-hour
// data retention. The engine stops with
//   - "finished": an image prediction that succeeded, its download under way (held back),
//   - "running": an image prediction still running (it finishes 30 s later, sandbox time),
//   - "unknown" (61 only): an image create the sandbox made but never answered (no id stored),
// then the sandbox clock moves on by 59 or 61 minutes and a new engine starts on the same
// database. At 59 everything is recovered: both jobs succeed, their files are byte for byte what
// the sandbox served. At 61 the two jobs say their outputs expired, the unknown create asks the
// user, nothing is created again (the sandbox's create count is unchanged) and nothing succeeds
// silently. The engine's own clock can't be moved, so for the unknown create the intent's time
// in the database is moved back by the downtime (the only age the engine reads for it).
#include <QTest>

#include "core/pipeline/jobstatus.h"
#include "core/pipeline/steperror.h"
#include "tests/core/store/rawdatabase.h"
#include "tests/faults/faultrig.h"

using namespace brieflow;
using namespace brieflow::test;
using sandbox::FaultKind;
using sandbox::FaultRule;

namespace {

const QString imageCreate = QStringLiteral("/v1/models/black-forest-labs/flux-schnell/predictions");
constexpr int runningImageMs = 30'000;

} // namespace

class TestFaultRetention : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void downFor59Minutes() { downFor(59, false); }
    void downFor61Minutes() { downFor(61, true); }

private:
    void downFor(int minutes, bool withUnknownCreate);
};

void TestFaultRetention::downFor(int minutes, bool withUnknownCreate)
{
    EngineRig rig;
    // Downloads are held back: "finished" stops with its prediction done and its file not stored.
    FaultRule holdFiles;
    holdFiles.kind = FaultKind::Delay;
    holdFiles.method = QStringLiteral("GET");
    holdFiles.path = QStringLiteral("/files/*");
    holdFiles.count = -1;
    holdFiles.delayMs = 120'000;
    rig.server->addFault(holdFiles);
    const QString delayKey = sandbox::faultKindName(FaultKind::Delay);

    rig.makeEngine();
    const JobId finished = submitVariant(rig, 1);
    rig.engine->start();
    QTRY_VERIFY_WITH_TIMEOUT(rig.server->stats().faultsInjected.value(delayKey) >= 1, 20'000);
    QCOMPARE(rig.stepStatus(finished, QStringLiteral("image")), QStringLiteral("processing"));

    rig.server->setLatency(QStringLiteral("image"),
                           sandbox::LatencyDistribution::fixed(0, runningImageMs));
    const JobId running = submitVariant(rig, 2);
    rig.engine->wake();
    const auto imageId = [&rig](const JobId &job) {
        const auto calls = rig.calls(job, QStringLiteral("image"));
        return calls.isEmpty() ? QString() : calls.constLast().predictionId;
    };
    QTRY_VERIFY_WITH_TIMEOUT(!imageId(running).isEmpty(), 20'000);

    JobId unknown;
    if (withUnknownCreate) {
        FaultRule holdCreate;
        holdCreate.kind = FaultKind::Delay;
        holdCreate.method = QStringLiteral("POST");
        holdCreate.path = imageCreate;
        holdCreate.delayMs = 120'000;
        rig.server->addFault(holdCreate);
        const int createsBefore = rig.server->stats().requestsPerEndpoint.value(
            QStringLiteral("POST /v1/models/{owner}/{name}/predictions"));
        unknown = submitVariant(rig, 3);
        rig.engine->wake();
        // Its two text creates and then the held image create.
        QTRY_VERIFY_WITH_TIMEOUT(rig.server->stats().requestsPerEndpoint.value(
                                     QStringLiteral("POST /v1/models/{owner}/{name}/predictions"))
                                         >= createsBefore + 3
                                     && !rig.calls(unknown, QStringLiteral("image")).isEmpty(),
                                 20'000);
    }

    // The app goes away.
    rig.engine->stop();
    rig.engine.reset();
    rig.server->clearFaults();
    const sandbox::Prediction *runningPrediction = rig.server->prediction(imageId(running));
    QVERIFY(runningPrediction);
    QCOMPARE(runningPrediction->completedNs, 0); // still running when the app went away
    if (withUnknownCreate) {
        const auto calls = rig.calls(unknown, QStringLiteral("image"));
        QCOMPARE(calls.size(), 1);
        QVERIFY(calls.constFirst().predictionId.isEmpty());
        RawDatabase raw(rig.dir.paths().databaseFile());
        QVERIFY(raw.isOpen());
        QVERIFY(raw.exec(QStringLiteral("UPDATE provider_calls SET created_at = created_at - %1 "
                                        "WHERE id = '%2'")
                             .arg(qint64(minutes) * 60'000)
                             .arg(calls.constFirst().id.toString())));
    }
    const int createdBefore = rig.server->stats().predictionsCreated;

    rig.server->advanceClock(qint64(minutes) * 60'000);
    QVERIFY(rig.runUntilIdle(60'000)); // a new engine on the same database

    QList<JobId> jobs{finished, running};
    if (withUnknownCreate)
        jobs << unknown;
    const int reCreated = rig.server->stats().predictionsCreated - createdBefore;
    int recovered = 0, expiredReported = 0, askedUser = 0, silentSuccesses = 0, shaMismatches = 0,
        outputsChecked = 0;
    QStringList problems;
    for (const JobId &id : std::as_const(jobs)) {
        const JobRecord job = rig.job(id);
        const StepRecord image = rig.step(id, QStringLiteral("image"));
        const auto outputs = rig.store->outputs(id).value();
        const auto calls = rig.calls(id, QStringLiteral("image"));
        const sandbox::Prediction *served =
            calls.isEmpty() ? nullptr : rig.server->prediction(calls.constLast().predictionId);
        if (job.status == JobStatus::Succeeded) {
            bool whole = served && !outputs.isEmpty() && outputs.size() == served->files.size();
            for (qsizetype i = 0; whole && i < outputs.size(); ++i) {
                ++outputsChecked;
                const OutputRecord &o = outputs.at(i);
                if (o.sha256 != served->files.at(i).sha256
                    || QString::fromLatin1(fileSha256(o.filePath)) != o.sha256) {
                    ++shaMismatches;
                    whole = false;
                }
            }
            if (whole)
                ++recovered;
            else
                problems << QStringLiteral("job %1 succeeded without the served files")
                                .arg(id.toString());
            if (minutes > 60) {
                ++silentSuccesses;
                problems
                    << QStringLiteral("job %1 succeeded past the retention").arg(id.toString());
            }
        } else if (image.errorType == QLatin1String("output_expired") && outputs.isEmpty()) {
            ++expiredReported;
        } else if (image.status == StepStatus::NeedsAttention
                   && image.errorType == QString(StepErrorType::OutcomeUnknown)) {
            ++askedUser;
        } else {
            problems << QStringLiteral("job %1 is %2, image step %3 (%4: %5)")
                            .arg(id.toString(), toString(job.status), toString(image.status),
                                 image.errorType, image.errorMessage);
        }
    }

    const QJsonObject report{
        {QStringLiteral("downtime_minutes"), minutes},
        {QStringLiteral("sandbox_data_ttl_minutes"), 60},
        {QStringLiteral("jobs"), static_cast<int>(jobs.size())},
        {QStringLiteral("recovered"), recovered},
        {QStringLiteral("outputs_checked"), outputsChecked},
        {QStringLiteral("output_sha256_mismatches"), shaMismatches},
        {QStringLiteral("reported_outputs_expired"), expiredReported},
        {QStringLiteral("unknown_creates_asking_user"), askedUser},
        {QStringLiteral("silent_successes"), silentSuccesses},
        {QStringLiteral("re_created_after_restart"), reCreated},
        {QStringLiteral("stray_partial_files"), strayPartialFiles(rig)},
    };
    printFaultReport(QStringLiteral("retention_%1_min").arg(minutes), report);
    for (const QString &p : std::as_const(problems))
        qWarning("%s", qPrintable(p));

    QVERIFY(problems.isEmpty());
    QCOMPARE(reCreated, 0);
    QCOMPARE(shaMismatches, 0);
    QCOMPARE(strayPartialFiles(rig), 0);
    if (minutes < 60) {
        QCOMPARE(recovered, static_cast<int>(jobs.size()));
        QVERIFY(outputsChecked >= 2);
    } else {
        QCOMPARE(recovered, 0);
        QCOMPARE(silentSuccesses, 0);
        QCOMPARE(expiredReported, 2);
        QCOMPARE(askedUser, withUnknownCreate ? 1 : 0);
        for (const JobId &id : std::as_const(jobs))
            QVERIFY(rig.job(id).status != JobStatus::Succeeded);
    }
}

QTEST_GUILESS_MAIN(TestFaultRetention)
#include "tst_faultretention.moc"

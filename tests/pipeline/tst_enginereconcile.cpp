// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Unknown-outcome creates, reconciled (reliability-performance.md §5.4; issue 7 §2): the first
// look at the provider's list comes about a second after the intent, re-checks after settling
// before anything is sent again, and several matching predictions keep the oldest, cancel the
// rest and leave an incident the user sees. The real engine against the real sandbox.
#include <QElapsedTimer>
#include <QTest>

#include "tests/pipeline/enginerig.h"

using namespace brieflow;
using namespace brieflow::test;
using namespace std::chrono_literals;
using sandbox::FaultKind;
using sandbox::FaultRule;

namespace {

const QString imageCreate = QStringLiteral("/v1/models/black-forest-labs/flux-schnell/predictions");
const QString listEndpoint = QStringLiteral("GET /v1/predictions");

FaultRule once(FaultKind kind, const QString &path)
{
    FaultRule rule;
    rule.kind = kind;
    rule.method = QStringLiteral("POST");
    rule.path = path;
    rule.count = 1;
    return rule;
}

QList<EventRecord> eventsOfKind(const JobStore &store, const JobId &job, const QString &kind)
{
    QList<EventRecord> out;
    const QList<EventRecord> all = store.events(job).value();
    for (const EventRecord &event : all) {
        if (event.kind == kind)
            out << event;
    }
    return out;
}

} // namespace

class TestEngineReconcile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void firstLookAdoptsWithinASecondOrSo();
    void nothingFoundIsCheckedAgainBeforeSendingOnce();
    void severalMatchesKeepTheOldestAndCancelTheRest();
};

void TestEngineReconcile::firstLookAdoptsWithinASecondOrSo()
{
    EngineRig rig;
    rig.options.reconcileFirstLook = EngineOptions().reconcileFirstLook; // the product's timing
    rig.options.reconcileSettle = EngineOptions().reconcileSettle;
    rig.server->addFault(once(FaultKind::ConnectionReset, imageCreate));
    const JobId id = rig.submit();
    QVERIFY(rig.runUntilIdle(30'000));
    QCOMPARE(rig.status(id), QStringLiteral("succeeded"));

    const auto calls = rig.calls(id, QStringLiteral("image"));
    QCOMPARE(calls.size(), 1);
    const auto adopted = eventsOfKind(*rig.store, id, QStringLiteral("prediction_adopted"));
    QCOMPARE(adopted.size(), 1);
    const qint64 adoptionMs = calls.first().createdAt.msecsTo(adopted.first().time);
    qInfo("adopted %lld ms after the intent", adoptionMs);
    QVERIFY2(adoptionMs >= EngineOptions().reconcileFirstLook.count() - 50,
             "the list was read before the first-look delay");
    QVERIFY2(adoptionMs <= 3000, "adoption took longer than 3 s");
    // One list read was enough, and nothing was sent twice.
    QCOMPARE(rig.server->stats().requestsPerEndpoint.value(listEndpoint), 1);
    for (const int n : rig.server->stats().createsPerInput)
        QCOMPARE(n, 1);
}

void TestEngineReconcile::nothingFoundIsCheckedAgainBeforeSendingOnce()
{
    EngineRig rig;
    rig.options.reconcileFirstLook = 20ms;
    rig.options.reconcileSettle = 200ms;
    rig.options.reconcileRechecks = 2;
    FaultRule error = once(FaultKind::HttpError, imageCreate);
    error.status = 502; // answered instead of handled: nothing was created
    rig.server->addFault(error);
    const JobId id = rig.submit();
    QVERIFY(rig.runUntilIdle());
    QCOMPARE(rig.status(id), QStringLiteral("succeeded"));

    // First look + two re-checks, all empty, then exactly one new create.
    QCOMPARE(rig.server->stats().requestsPerEndpoint.value(listEndpoint), 3);
    const auto calls = rig.calls(id, QStringLiteral("image"));
    QCOMPARE(calls.size(), 2);
    QCOMPARE(calls.at(0).errorType, QStringLiteral("not_created"));
    // The re-send waited for the last re-check: 2 × settle after the first intent.
    QVERIFY(calls.at(0).createdAt.msecsTo(calls.at(1).createdAt) >= 2 * 200 - 20);
    QCOMPARE(rig.server->stats().predictionsCreated, 3);
}

void TestEngineReconcile::severalMatchesKeepTheOldestAndCancelTheRest()
{
    EngineRig rig;
    rig.options.reconcileFirstLook = 1500ms; // time for the test to make the duplicate
    rig.server->setLatency(QStringLiteral("image"), sandbox::LatencyDistribution::fixed(0, 4000));
    rig.server->addFault(once(FaultKind::ConnectionReset, imageCreate));
    const JobId id = rig.submit();
    rig.makeEngine();
    QSignalSpy incidents(rig.engine.get(), &PipelineEngine::incident);
    rig.engine->start();

    // The create landed (its answer was lost). Another prediction with exactly the same input
    // appears — what a create that "failed" but ran anyway leaves behind.
    const sandbox::Prediction *original = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const sandbox::Prediction *p : rig.server->predictions()) {
                if (p->model && p->model->kind == sandbox::ModelKind::Image)
                    original = p;
            }
            return original != nullptr;
        }(),
        10'000);
    const QString originalId = original->id;
    replicate::ReplicateClient::Options o;
    o.baseUrl = rig.server->baseUrl();
    o.token = [] { return QStringLiteral("sandbox-test-token"); };
    replicate::ReplicateClient other(o);
    CreateRequest duplicate;
    duplicate.model = ModelRef::parse(QStringLiteral("black-forest-labs/flux-schnell")).value();
    duplicate.input = original->input;
    duplicate.cancelAfter = 300s;
    QString duplicateId;
    other.createPrediction(duplicate, this, [&](const ProviderResult<Prediction> &result) {
        QVERIFY(result);
        duplicateId = result->id;
    });
    QTRY_VERIFY(!duplicateId.isEmpty());
    QVERIFY(rig.calls(id, QStringLiteral("image")).first().predictionId.isEmpty()); // not yet

    QSignalSpy idle(rig.engine.get(), &PipelineEngine::idle);
    QVERIFY(idle.wait(30'000) || rig.engine->isIdle());
    QCOMPARE(rig.status(id), QStringLiteral("succeeded"));

    // The oldest was adopted, the other canceled at the provider, and the user was told.
    QCOMPARE(rig.calls(id, QStringLiteral("image")).first().predictionId, originalId);
    const sandbox::Prediction *dup = rig.server->prediction(duplicateId);
    QVERIFY(dup);
    QCOMPARE(dup->status, sandbox::Status::Canceled);
    QCOMPARE(rig.server->stats().requestsPerEndpoint.value(
                 QStringLiteral("POST /v1/predictions/{id}/cancel")),
             1);
    const auto recorded = eventsOfKind(*rig.store, id, QStringLiteral("incident"));
    QCOMPARE(recorded.size(), 1);
    QVERIFY(recorded.first().message.contains(duplicateId));
    QVERIFY(recorded.first().message.contains(originalId));
    QCOMPARE(incidents.size(), 1);
    QCOMPARE(incidents.first().at(0).value<JobId>(), id);
}

QTEST_GUILESS_MAIN(TestEngineReconcile)
#include "tst_enginereconcile.moc"

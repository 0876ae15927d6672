// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// F6 (reliability-performance.md §8, issue 7 §5): webhook abuse against the real engine and the
// real receiver. The sandbox sends its signed deliveries to a relay in this test, which answers
// 204 and forwards them — the same headers and bytes — to the engine's WebhookService as the
// case wants: each one 3×, out of order (completed before start), delayed until the prediction
// had already finished, or all dropped. A hostile case forwards normally while attacking every
// prediction in flight with forged signatures, timestamps 6 minutes off either way, replayed
// webhook-ids carrying a "failed" body, and an oversized body.
//
// Pass: every job succeeds; 0 state regressions (the follower's reports per prediction only
// move forward, and each finishes once); 0 forged, stale or replayed deliveries acted on (the
// receiver verified exactly the distinct genuine deliveries); drops noticed by safety-net
// polling within its interval; each case prints its counts as one JSON line.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>
#include <QTimer>

#include "core/pipeline/jobstatus.h"
#include "core/provider/providerclock.h"
#include "core/replicate/predictionfollower.h"
#include "core/sandbox/webhooksigner.h"
#include "core/webhooks/webhookservice.h"
#include "tests/faults/faultrig.h"
#include "tests/support/fakehttpserver.h"

using namespace brieflow;
using namespace brieflow::test;
using namespace std::chrono_literals;

namespace {

enum class Mode { Duplicated, OutOfOrder, Delayed, Dropped, Hostile };

QString modeName(Mode mode)
{
    switch (mode) {
    case Mode::Duplicated:
        return QStringLiteral("webhooks_duplicated_3x");
    case Mode::OutOfOrder:
        return QStringLiteral("webhooks_out_of_order");
    case Mode::Delayed:
        return QStringLiteral("webhooks_delayed");
    case Mode::Dropped:
        return QStringLiteral("webhooks_all_dropped");
    case Mode::Hostile:
        return QStringLiteral("webhooks_forged_stale_replayed_oversized");
    }
    return {};
}

/** The safety-net interval of this suite (the product's is 15 s): the bound on noticing a drop. */
constexpr auto kSafetyNet = 1000ms;

/** A delivery as the sandbox sent it: forwarded with exactly these headers and bytes. */
struct Captured {
    QByteArray id;
    QByteArray timestamp;
    QByteArray signature;
    QByteArray body;
    QString predictionId;
    bool final = false;
    qint64 receivedMs = 0; ///< when the sandbox sent it (test clock)
};

/** Everything one case observed. */
struct Counts {
    int jobs = 0;
    int succeeded = 0;
    int sandboxDeliveries = 0;
    int forwarded = 0; ///< POSTs of genuine deliveries to the receiver (duplicates included)
    int distinctForwarded = 0;
    int genuineRejected = 0; ///< genuine forwards not answered 2xx (should be 0)
    int reordered = 0;
    int dropped = 0;
    int forgedSent = 0, forgedAccepted = 0;
    int staleSent = 0, staleAccepted = 0;
    int replayedSent = 0, replayedNot2xx = 0;
    int oversizedSent = 0, oversizedAccepted = 0;
    int regressions = 0;
    int finishedTwice = 0;
    QList<qint64> noticeAfterDropMs; ///< final state sent → follower finished, when dropped
};

class Relay : public QObject {
public:
    Relay()
    {
        server.setHandler([this](const FakeHttpServer::Request &request) {
            Captured c;
            c.id = request.header("webhook-id");
            c.timestamp = request.header("webhook-timestamp");
            c.signature = request.header("webhook-signature");
            c.body = request.body;
            const QJsonObject object = QJsonDocument::fromJson(request.body).object();
            c.predictionId = object.value(QStringLiteral("id")).toString();
            const QString status = object.value(QStringLiteral("status")).toString();
            c.final = status == QLatin1String("succeeded") || status == QLatin1String("failed")
                      || status == QLatin1String("canceled") || status == QLatin1String("aborted");
            c.receivedMs = clock.elapsed();
            captured.append(c);
            // Handled from the event loop, not inside the server's handler.
            QTimer::singleShot(0, this, [this, c] {
                if (onCaptured)
                    onCaptured(c);
            });
            return FakeHttpServer::Response::json(204, {});
        });
    }

    FakeHttpServer server;
    QElapsedTimer clock;
    QList<Captured> captured;
    std::function<void(const Captured &)> onCaptured;
};

/** Posts to the receiver without blocking; counts answers by what was sent. */
class Sender : public QObject {
public:
    explicit Sender(QUrl url)
        : m_url(std::move(url))
    {}

    void post(const QByteArray &id, const QByteArray &timestamp, const QByteArray &signature,
              const QByteArray &body, std::function<void(int)> done)
    {
        QNetworkRequest request(m_url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        request.setRawHeader("webhook-id", id);
        request.setRawHeader("webhook-timestamp", timestamp);
        request.setRawHeader("webhook-signature", signature);
        ++pending;
        QNetworkReply *reply = m_network.post(request, body);
        connect(reply, &QNetworkReply::finished, this, [this, reply, done] {
            reply->deleteLater();
            --pending;
            done(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt());
        });
    }

    int pending = 0;

private:
    QUrl m_url;
    QNetworkAccessManager m_network;
};

bool is2xx(int status)
{
    return status >= 200 && status < 300;
}

} // namespace

class TestFaultWebhooks : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void duplicated();
    void outOfOrder();
    void delayed();
    void allDropped();
    void forgedStaleReplayedOversized();

private:
    void runCase(Mode mode);
};

void TestFaultWebhooks::duplicated()
{
    runCase(Mode::Duplicated);
}

void TestFaultWebhooks::outOfOrder()
{
    runCase(Mode::OutOfOrder);
}

void TestFaultWebhooks::delayed()
{
    runCase(Mode::Delayed);
}

void TestFaultWebhooks::allDropped()
{
    runCase(Mode::Dropped);
}

void TestFaultWebhooks::forgedStaleReplayedOversized()
{
    runCase(Mode::Hostile);
}

void TestFaultWebhooks::runCase(Mode mode)
{
    auto config = sandbox::SandboxConfig::forTests();
    config.textLatency = sandbox::LatencyDistribution{20, 80, 200, 400};
    config.imageLatency = sandbox::LatencyDistribution{20, 80, 200, 400};
    EngineRig rig(config);
    rig.options.maxConcurrentJobs = 6;
    Relay relay;
    QVERIFY(relay.server.listen());
    relay.clock.start();

    // The client, the webhook service on it, then the engine whose creates name the relay.
    replicate::ReplicateClient::Options clientOptions;
    clientOptions.baseUrl = rig.server->baseUrl();
    clientOptions.token = [&rig] { return rig.token; };
    clientOptions.retry.baseDelay = 10ms;
    clientOptions.retry.maxDelay = 50ms;
    rig.client = std::make_unique<replicate::ReplicateClient>(clientOptions);
    WebhookServiceOptions serviceOptions;
    serviceOptions.safetyNetInterval = kSafetyNet;
    auto service =
        std::make_unique<WebhookService>(*rig.client, serviceOptions, *SystemClock::instance());
    QSignalSpy ready(service.get(), &WebhookService::secretReady);
    QVERIFY(service->start());
    QVERIFY(ready.wait(5000));
    rig.options.webhookUrl = relay.server.origin().resolved(QUrl(QStringLiteral("/hook")));
    rig.engine =
        std::make_unique<PipelineEngine>(*rig.store, *rig.client, *rig.downloader, rig.workflow,
                                         rig.options, SteadyClock::instance());
    service->attach(&rig.engine->follower());
    const QString secret = rig.server->webhookSecret();
    const QString wrongSecret = sandbox::makeWebhookSecret(0xbad);

    Counts counts;
    Sender sender(service->localUrl());
    QSet<QByteArray> distinct;
    QList<Captured> verifiedGenuine; // forwarded and answered 2xx: material for replays
    auto forward = [&](const Captured &c) {
        ++counts.forwarded;
        distinct.insert(c.id);
        sender.post(c.id, c.timestamp, c.signature, c.body, [&, c](int status) {
            if (!is2xx(status))
                ++counts.genuineRejected;
            else
                verifiedGenuine.append(c);
        });
    };

    // The follower's reports per prediction: only forward, each finished once.
    QHash<QString, int> rank;
    QSet<QString> finished;
    QHash<QString, qint64> finishedAtMs;
    PredictionFollower &follower = rig.engine->follower();
    connect(&follower, &PredictionFollower::updated, this, [&](const Prediction &p) {
        const int r = predictionStatusRank(p.status);
        if (finished.contains(p.id) || r < rank.value(p.id, -1))
            ++counts.regressions;
        rank[p.id] = std::max(r, rank.value(p.id, -1));
    });
    connect(&follower, &PredictionFollower::finished, this, [&](const Prediction &p) {
        if (finished.contains(p.id))
            ++counts.finishedTwice;
        finished.insert(p.id);
        rank[p.id] = 2;
        finishedAtMs[p.id] = relay.clock.elapsed();
    });

    // How the relay treats each genuine delivery.
    QHash<QString, Captured> heldStart;            // OutOfOrder: start waits for completed
    QHash<QString, QList<Captured>> heldUntilDone; // Delayed: until the follower finished it
    QHash<QString, qint64> finalSentMs;            // Dropped: when the final one was sent
    relay.onCaptured = [&](const Captured &c) {
        switch (mode) {
        case Mode::Duplicated:
            for (int i = 0; i < 3; ++i)
                forward(c);
            break;
        case Mode::OutOfOrder:
            if (!c.final) {
                heldStart.insert(c.predictionId, c);
            } else {
                forward(c);
                if (heldStart.contains(c.predictionId)) {
                    ++counts.reordered;
                    forward(heldStart.take(c.predictionId));
                }
            }
            break;
        case Mode::Delayed:
            if (finished.contains(c.predictionId))
                forward(c); // already final here: late as it is
            else
                heldUntilDone[c.predictionId].append(c);
            break;
        case Mode::Dropped:
            ++counts.dropped;
            if (c.final)
                finalSentMs.insert(c.predictionId, c.receivedMs);
            break;
        case Mode::Hostile:
            forward(c);
            break;
        }
    };
    if (mode == Mode::Delayed) {
        // Released only once the prediction is final here (by safety-net polling): late.
        connect(&follower, &PredictionFollower::finished, this, [&](const Prediction &p) {
            QTimer::singleShot(0, this, [&, id = p.id] {
                for (const Captured &c : heldUntilDone.take(id))
                    forward(c);
            });
        });
    }

    // The hostile case attacks every prediction while it runs.
    QSet<QString> attacked;
    int oversizedId = 0;
    QTimer attacker;
    attacker.setInterval(25);
    connect(&attacker, &QTimer::timeout, this, [&] {
        for (const sandbox::Prediction *p : rig.server->predictions()) {
            if (attacked.contains(p->id) || finished.contains(p->id))
                continue;
            attacked.insert(p->id);
            const QByteArray failed =
                QJsonDocument(QJsonObject{{QStringLiteral("id"), p->id},
                                          {QStringLiteral("status"), QStringLiteral("failed")},
                                          {QStringLiteral("error"), QStringLiteral("forged")}})
                    .toJson(QJsonDocument::Compact);
            const qint64 now = QDateTime::currentSecsSinceEpoch();
            const auto sign = [&](const QString &key, const QByteArray &id, qint64 ts) {
                return sandbox::signWebhook(key, QString::fromLatin1(id), ts, failed).toLatin1();
            };
            // Forged: signed with another key, and a syntactically valid but random MAC.
            const QByteArray forgedId = "msg_forged_" + p->id.toLatin1();
            ++counts.forgedSent;
            sender.post(forgedId, QByteArray::number(now), sign(wrongSecret, forgedId, now), failed,
                        [&](int status) { counts.forgedAccepted += is2xx(status); });
            ++counts.forgedSent;
            sender.post(forgedId + "_2", QByteArray::number(now),
                        "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=", failed,
                        [&](int status) { counts.forgedAccepted += is2xx(status); });
            // Stale: correctly signed, 6 minutes in the past and in the future.
            for (const qint64 skew : {-360, 360}) {
                const QByteArray staleId =
                    "msg_stale_" + QByteArray::number(skew) + '_' + p->id.toLatin1();
                ++counts.staleSent;
                sender.post(staleId, QByteArray::number(now + skew),
                            sign(secret, staleId, now + skew), failed,
                            [&](int status) { counts.staleAccepted += is2xx(status); });
            }
            // Replayed: an id already delivered, now with a "failed" body, correctly signed.
            if (!verifiedGenuine.isEmpty()) {
                const QByteArray replayId = verifiedGenuine.constLast().id;
                ++counts.replayedSent;
                sender.post(replayId, QByteArray::number(now), sign(secret, replayId, now), failed,
                            [&](int status) { counts.replayedNot2xx += !is2xx(status); });
                // And the genuine delivery itself again, bytes unchanged.
                const Captured &original = verifiedGenuine.constFirst();
                ++counts.replayedSent;
                sender.post(original.id, original.timestamp, original.signature, original.body,
                            [&](int status) { counts.replayedNot2xx += !is2xx(status); });
            }
            // Oversized: correctly signed, 1 MiB + 1 (the receiver's cap is 1 MiB).
            if (oversizedId < 3) {
                const QByteArray bigId = "msg_big_" + QByteArray::number(oversizedId++);
                const QByteArray big(1024 * 1024 + 1, ' ');
                ++counts.oversizedSent;
                sender.post(
                    bigId, QByteArray::number(now),
                    sandbox::signWebhook(secret, QString::fromLatin1(bigId), now, big).toLatin1(),
                    big, [&](int status) { counts.oversizedAccepted += is2xx(status); });
            }
        }
    });
    if (mode == Mode::Hostile)
        attacker.start();

    // Run the jobs.
    counts.jobs = faultsCount(4, 40);
    QList<JobId> jobs;
    for (int i = 0; i < counts.jobs; ++i)
        jobs << submitVariant(rig, i);
    QVERIFY(rig.runUntilIdle(faultsLongRun() ? 600'000 : 40'000));
    attacker.stop();
    // Deliveries still on their way (held, forwarded, attacks) are answered before counting.
    QVERIFY(QTest::qWaitFor(
        [&] {
            return sender.pending == 0 && relay.captured.size() >= 2 * int(finished.size())
                   && (mode != Mode::Delayed || heldUntilDone.isEmpty());
        },
        10'000));
    QTest::qWait(50);
    QVERIFY(QTest::qWaitFor([&] { return sender.pending == 0; }, 10'000));

    for (const JobId &job : jobs)
        counts.succeeded += rig.status(job) == QStringLiteral("succeeded");
    counts.sandboxDeliveries = int(relay.captured.size());
    counts.distinctForwarded = int(distinct.size());
    for (auto it = finalSentMs.cbegin(); it != finalSentMs.cend(); ++it) {
        if (finishedAtMs.contains(it.key()))
            counts.noticeAfterDropMs << finishedAtMs.value(it.key()) - it.value();
    }
    const WebhookServiceStats stats = service->stats();
    // Every prediction the sandbox created belongs to exactly one attempt in the store (jobs
    // may share an input, e.g. two briefs whose concepts came out the same: that's no duplicate).
    struct {
        int predictionsCreated = 0;
        int duplicates = 0; ///< created but owned by no attempt, or owned by two
    } audit;
    audit.predictionsCreated = rig.server->stats().predictionsCreated;
    QSet<QString> owned;
    for (const JobId &job : jobs) {
        for (const StepRecord &step : rig.steps(job)) {
            const auto calls = rig.store->calls(step.id);
            QVERIFY(calls);
            for (const ProviderCallRecord &call : calls.value()) {
                if (call.predictionId.isEmpty())
                    continue;
                if (owned.contains(call.predictionId))
                    ++audit.duplicates;
                owned.insert(call.predictionId);
            }
        }
    }
    for (const sandbox::Prediction *p : rig.server->predictions())
        audit.duplicates += owned.contains(p->id) ? 0 : 1;

    QJsonObject report{
        {QStringLiteral("jobs"), counts.jobs},
        {QStringLiteral("jobs_succeeded"), counts.succeeded},
        {QStringLiteral("predictions"), audit.predictionsCreated},
        {QStringLiteral("duplicate_predictions"), audit.duplicates},
        {QStringLiteral("sandbox_deliveries"), counts.sandboxDeliveries},
        {QStringLiteral("forwarded"), counts.forwarded},
        {QStringLiteral("distinct_forwarded"), counts.distinctForwarded},
        {QStringLiteral("genuine_rejected"), counts.genuineRejected},
        {QStringLiteral("reordered"), counts.reordered},
        {QStringLiteral("dropped"), counts.dropped},
        {QStringLiteral("verified"), qint64(stats.receiver.verified)},
        {QStringLiteral("duplicates_answered"), qint64(stats.receiver.duplicate)},
        {QStringLiteral("bad_signature"), qint64(stats.receiver.badSignature)},
        {QStringLiteral("stale_timestamp"), qint64(stats.receiver.staleTimestamp)},
        {QStringLiteral("payload_too_large"), qint64(stats.receiver.payloadTooLarge)},
        {QStringLiteral("notified"), qint64(stats.notified)},
        {QStringLiteral("early"), qint64(stats.early)},
        {QStringLiteral("late"), qint64(stats.late)},
        {QStringLiteral("finished_after_webhook"), qint64(stats.finishedAfterWebhook)},
        {QStringLiteral("finished_by_polling"), qint64(stats.finishedByPolling)},
        {QStringLiteral("forged_sent"), counts.forgedSent},
        {QStringLiteral("forged_accepted"), counts.forgedAccepted},
        {QStringLiteral("stale_sent"), counts.staleSent},
        {QStringLiteral("stale_accepted"), counts.staleAccepted},
        {QStringLiteral("replayed_sent"), counts.replayedSent},
        {QStringLiteral("replayed_acted_on"),
         qint64(stats.receiver.verified) - counts.distinctForwarded},
        {QStringLiteral("oversized_sent"), counts.oversizedSent},
        {QStringLiteral("oversized_accepted"), counts.oversizedAccepted},
        {QStringLiteral("state_regressions"), counts.regressions + counts.finishedTwice},
        {QStringLiteral("safety_net_ms"), qint64(kSafetyNet.count())},
        {QStringLiteral("drop_noticed_after_ms"), Percentiles::of(counts.noticeAfterDropMs).json()},
    };
    printFaultReport(modeName(mode), report);

    // Every case.
    QCOMPARE(counts.succeeded, counts.jobs);
    QCOMPARE(audit.duplicates, 0);
    QCOMPARE(counts.regressions, 0);
    QCOMPARE(counts.finishedTwice, 0);
    QCOMPARE(counts.genuineRejected, 0);
    QCOMPARE(stats.parseFailures, 0u);
    // Each prediction sent its start and completed deliveries (the events the engine asks for).
    QCOMPARE(counts.sandboxDeliveries, 2 * audit.predictionsCreated);
    // Acted on: exactly the distinct genuine deliveries that were forwarded, nothing else.
    QCOMPARE(qint64(stats.receiver.verified), qint64(counts.distinctForwarded));

    switch (mode) {
    case Mode::Duplicated:
        QCOMPARE(counts.forwarded, 3 * counts.sandboxDeliveries);
        QCOMPARE(stats.receiver.duplicate, quint64(2 * counts.sandboxDeliveries));
        QCOMPARE(stats.finishedByPolling, 0u);
        break;
    case Mode::OutOfOrder:
        QVERIFY(counts.reordered > 0);
        QCOMPARE(counts.distinctForwarded, counts.sandboxDeliveries);
        // The start that came after completed changed nothing (the regression counter) and
        // was seen as late or taken without effect.
        QCOMPARE(stats.finishedByPolling, 0u);
        break;
    case Mode::Delayed:
        // Every delivery arrived after its prediction had finished by polling: all late.
        QCOMPARE(counts.distinctForwarded, counts.sandboxDeliveries);
        QCOMPARE(stats.late, quint64(counts.sandboxDeliveries));
        QCOMPARE(stats.notified, 0u);
        QCOMPARE(stats.finishedByPolling, quint64(audit.predictionsCreated));
        break;
    case Mode::Dropped: {
        QCOMPARE(counts.forwarded, 0);
        QCOMPARE(stats.receiver.verified, 0u);
        QCOMPARE(stats.finishedByPolling, quint64(audit.predictionsCreated));
        // The bound: a final state is seen at most one safety-net interval after it was sent
        // (plus a GET's round trip and timer slack).
        QCOMPARE(counts.noticeAfterDropMs.size(), audit.predictionsCreated);
        const qint64 worst = Percentiles::of(counts.noticeAfterDropMs).max;
        QVERIFY2(worst <= kSafetyNet.count() + 500, qPrintable(QString::number(worst)));
        break;
    }
    case Mode::Hostile:
        QVERIFY(counts.forgedSent >= 2 * counts.jobs);
        QCOMPARE(counts.forgedAccepted, 0);
        QCOMPARE(counts.staleAccepted, 0);
        QCOMPARE(counts.oversizedAccepted, 0);
        QCOMPARE(qint64(stats.receiver.badSignature), qint64(counts.forgedSent));
        QCOMPARE(qint64(stats.receiver.staleTimestamp), qint64(counts.staleSent));
        QCOMPARE(qint64(stats.receiver.payloadTooLarge), qint64(counts.oversizedSent));
        QVERIFY(counts.replayedSent > 0);
        QCOMPARE(counts.replayedNot2xx, 0); // a duplicate is answered 2xx, never acted on
        QVERIFY(stats.receiver.duplicate >= quint64(counts.replayedSent));
        // Forgeries cost at most one secret fetch per refresh interval (60 s).
        QVERIFY(stats.secretRefreshes <= quint64(1 + relay.clock.elapsed() / 60'000));
        break;
    }
    service.reset(); // before the rig's engine and client
}

QTEST_GUILESS_MAIN(TestFaultWebhooks)
#include "tst_faultwebhooks.moc"

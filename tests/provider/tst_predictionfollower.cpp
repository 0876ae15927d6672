// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <deque>

#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include "core/replicate/predictionfollower.h"

using namespace brieflow;
using namespace std::chrono_literals;

namespace {

/** A monotonic clock that moves only when the test says so. */
class ManualClock final : public MonotonicClock {
public:
    TimePoint now() const override { return m_now; }
    void advance(std::chrono::milliseconds d) { m_now += d; }

private:
    TimePoint m_now = TimePoint{} + 1000h;
};

/** A provider whose getPrediction answers come from a script, one per read, per id. */
class ScriptedProvider final : public ModelProvider {
public:
    std::map<QString, std::deque<ProviderResult<Prediction>>> script;
    QStringList reads;

    CallHandle getPrediction(const QString &id, QObject *context,
                             ProviderCallback<Prediction> done) override
    {
        reads << id;
        auto &queue = script[id];
        if (queue.empty())
            return {};
        ProviderResult<Prediction> next = queue.front();
        queue.pop_front();
        QTimer::singleShot(0, context, [done, next] { done(next); });
        return CallHandle(this, static_cast<quint64>(reads.size()));
    }
    CallHandle createPrediction(const CreateRequest &, QObject *,
                                ProviderCallback<Prediction>) override
    {
        return {};
    }
    CallHandle cancelPrediction(const QString &, QObject *, ProviderCallback<Prediction>) override
    {
        return {};
    }
    CallHandle listPredictions(const PredictionListQuery &, QObject *,
                               ProviderCallback<PredictionPage>) override
    {
        return {};
    }
    CallHandle account(QObject *, ProviderCallback<Account>) override { return {}; }
    CallHandle getModel(const QString &, const QString &, QObject *,
                        ProviderCallback<ModelInfo>) override
    {
        return {};
    }
    CallHandle getModelVersion(const QString &, const QString &, const QString &, QObject *,
                               ProviderCallback<ModelVersion>) override
    {
        return {};
    }
    CallHandle defaultWebhookSecret(QObject *, ProviderCallback<QString>) override { return {}; }

protected:
    void abortCall(quint64) override {}
};

Prediction prediction(const QString &id, PredictionStatus status, const QString &text = {})
{
    Prediction p;
    p.id = id;
    p.status = status;
    p.outputText = text;
    p.hasOutput = !text.isEmpty();
    return p;
}

ProviderError error(ProviderError::Kind kind, std::optional<std::chrono::milliseconds> after = {})
{
    ProviderError e;
    e.kind = kind;
    e.retryAfter = after;
    return e;
}

} // namespace

class TestPredictionFollower : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void followsToTheEnd();
    void finalStateNeedsNoRead();
    void neverMovesBackwards();
    void finalNoticeIsConfirmedByARead();
    void notFoundIsLost();
    void rateLimitPausesEveryone();
    void reattachReadsAtOnce();
    void stopSilencesAPrediction();

private:
    /** Runs the poller until no read is pending, advancing the clock in 50 ms steps. */
    static void pump(PredictionFollower &follower, ManualClock &clock,
                     std::chrono::milliseconds span)
    {
        for (auto t = 0ms; t < span; t += 50ms) {
            clock.advance(50ms);
            follower.poller().processDue();
            QCoreApplication::processEvents();
        }
    }
};

void TestPredictionFollower::followsToTheEnd()
{
    ManualClock clock;
    ScriptedProvider provider;
    provider.script[QStringLiteral("p1")] = {
        prediction(QStringLiteral("p1"), PredictionStatus::Starting),
        prediction(QStringLiteral("p1"), PredictionStatus::Processing, QStringLiteral("Run ")),
        prediction(QStringLiteral("p1"), PredictionStatus::Processing, QStringLiteral("Run ")),
        prediction(QStringLiteral("p1"), PredictionStatus::Succeeded, QStringLiteral("Run light")),
    };
    PredictionFollower follower(provider, clock);
    QSignalSpy updated(&follower, &PredictionFollower::updated);
    QSignalSpy finished(&follower, &PredictionFollower::finished);
    follower.follow(prediction(QStringLiteral("p1"), PredictionStatus::Starting));
    pump(follower, clock, 20s);

    QCOMPARE(finished.count(), 1);
    const auto last = finished.first().first().value<Prediction>();
    QCOMPARE(toString(last.status), QStringLiteral("succeeded"));
    QCOMPARE(last.outputText, QStringLiteral("Run light"));
    QCOMPARE(updated.count(), 1); // processing with its first token; repeats are not news
    QCOMPARE(provider.reads.size(), 4);
    QVERIFY(!follower.isFollowing(QStringLiteral("p1")));
    QCOMPARE(follower.poller().scheduler().size(), 0);
}

void TestPredictionFollower::finalStateNeedsNoRead()
{
    ManualClock clock;
    ScriptedProvider provider;
    PredictionFollower follower(provider, clock);
    QSignalSpy finished(&follower, &PredictionFollower::finished);
    follower.follow(prediction(QStringLiteral("p2"), PredictionStatus::Failed));
    QCOMPARE(finished.count(), 0); // never inside the call
    QTRY_COMPARE(finished.count(), 1);
    QVERIFY(provider.reads.isEmpty());
}

void TestPredictionFollower::neverMovesBackwards()
{
    ManualClock clock;
    ScriptedProvider provider;
    provider.script[QStringLiteral("p3")] = {
        prediction(QStringLiteral("p3"), PredictionStatus::Starting), // stale answer
        prediction(QStringLiteral("p3"), PredictionStatus::Succeeded, QStringLiteral("done")),
    };
    PredictionFollower follower(provider, clock);
    QSignalSpy updated(&follower, &PredictionFollower::updated);
    QSignalSpy finished(&follower, &PredictionFollower::finished);
    follower.follow(prediction(QStringLiteral("p3"), PredictionStatus::Starting));
    follower.notify(prediction(QStringLiteral("p3"), PredictionStatus::Processing));
    QCOMPARE(updated.count(), 1);
    pump(follower, clock, 40s);
    QCOMPARE(updated.count(), 1); // the stale `starting` did not count as news
    QCOMPARE(finished.count(), 1);
}

void TestPredictionFollower::finalNoticeIsConfirmedByARead()
{
    ManualClock clock;
    ScriptedProvider provider;
    provider.script[QStringLiteral("p4")] = {
        prediction(QStringLiteral("p4"), PredictionStatus::Processing), // the notice was early
        prediction(QStringLiteral("p4"), PredictionStatus::Succeeded, QStringLiteral("ok")),
    };
    PredictionFollower follower(provider, clock);
    QSignalSpy finished(&follower, &PredictionFollower::finished);
    follower.follow(prediction(QStringLiteral("p4"), PredictionStatus::Starting));
    follower.notify(
        prediction(QStringLiteral("p4"), PredictionStatus::Succeeded, QStringLiteral("ok")));
    QCOMPARE(provider.reads.size(), 1); // read at once, not at the next poll
    QCoreApplication::processEvents();
    QCOMPARE(finished.count(), 0); // the read said processing: not trusted yet
    pump(follower, clock, 40s);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.first().first().value<Prediction>().outputText, QStringLiteral("ok"));
}

void TestPredictionFollower::notFoundIsLost()
{
    ManualClock clock;
    ScriptedProvider provider;
    provider.script[QStringLiteral("p5")] = {fail(error(ProviderError::Kind::NotFound))};
    PredictionFollower follower(provider, clock);
    QSignalSpy lost(&follower, &PredictionFollower::lost);
    follower.follow(QStringLiteral("p5"));
    QTRY_COMPARE(lost.count(), 1);
    QCOMPARE(lost.first().first().toString(), QStringLiteral("p5"));
    QVERIFY(!follower.isFollowing(QStringLiteral("p5")));
}

void TestPredictionFollower::rateLimitPausesEveryone()
{
    ManualClock clock;
    ScriptedProvider provider;
    provider.script[QStringLiteral("p6")] = {fail(error(ProviderError::Kind::RateLimited, 12s))};
    PredictionFollower follower(provider, clock);
    follower.follow(QStringLiteral("p6"));
    QTRY_COMPARE(provider.reads.size(), 1);
    QCoreApplication::processEvents();
    const auto paused = follower.poller().scheduler().pausedUntil();
    QVERIFY(paused.has_value());
    QVERIFY(*paused >= clock.now() + 11s);
    // Nothing is read while paused, however often the poller runs.
    pump(follower, clock, 10s);
    QCOMPARE(provider.reads.size(), 1);
}

void TestPredictionFollower::reattachReadsAtOnce()
{
    ManualClock clock;
    ScriptedProvider provider;
    provider.script[QStringLiteral("p7")] = {
        prediction(QStringLiteral("p7"), PredictionStatus::Succeeded, QStringLiteral("kept")),
    };
    PredictionFollower follower(provider, clock);
    QSignalSpy finished(&follower, &PredictionFollower::finished);
    follower.follow(QStringLiteral("p7"));
    QTRY_COMPARE(finished.count(), 1); // no clock advance needed
    QCOMPARE(follower.readsSent(), quint64(1));
}

void TestPredictionFollower::stopSilencesAPrediction()
{
    ManualClock clock;
    ScriptedProvider provider;
    provider.script[QStringLiteral("p8")] = {
        prediction(QStringLiteral("p8"), PredictionStatus::Succeeded),
    };
    PredictionFollower follower(provider, clock);
    QSignalSpy finished(&follower, &PredictionFollower::finished);
    follower.follow(QStringLiteral("p8"));
    follower.stop(QStringLiteral("p8"));
    pump(follower, clock, 5s);
    QCOMPARE(finished.count(), 0);
    QVERIFY(provider.reads.isEmpty());
}

QTEST_GUILESS_MAIN(TestPredictionFollower)
#include "tst_predictionfollower.moc"

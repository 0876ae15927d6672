// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QTest>

#include "core/replicate/retrypolicy.h"

using namespace brieflow;
using namespace brieflow::replicate;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(brieflow::ProviderError::Kind)
Q_DECLARE_METATYPE(brieflow::replicate::RequestKind)

namespace {

ProviderError makeError(ProviderError::Kind kind, bool sent, qint64 retryAfterMs)
{
    ProviderError error;
    error.kind = kind;
    error.mayHaveReachedServer = sent;
    if (retryAfterMs >= 0)
        error.retryAfter = std::chrono::milliseconds(retryAfterMs);
    return error;
}

} // namespace

class TestRetryPolicy : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void decisions_data();
    void decisions();
    void backoffDoublesUpToTheCap();
    void jitterStaysInTheUpperHalf_data();
    void jitterStaysInTheUpperHalf();
    void defaultRandomSourceIsBounded();
    void noRetriesPolicy();
    void rateLimitStormHasItsOwnBudget();
};

void TestRetryPolicy::decisions_data()
{
    using K = ProviderError::Kind;
    QTest::addColumn<RequestKind>("request");
    QTest::addColumn<ProviderError::Kind>("kind");
    QTest::addColumn<bool>("sent");
    QTest::addColumn<qint64>("retryAfterMs");
    QTest::addColumn<int>("attempt");
    QTest::addColumn<bool>("retry");
    QTest::addColumn<qint64>("delayMs");

    const RequestKind read = RequestKind::Read;
    const RequestKind create = RequestKind::Create;
    // Options: base 250 ms, cap 30 s, 6 attempts, server delay cap 120 s; random() == 1.0,
    // so the jittered delay is the full backoff.
    QTest::newRow("429 honours Retry-After")
        << read << K::RateLimited << true << qint64(10000) << 1 << true << qint64(10000);
    QTest::newRow("429 without Retry-After backs off")
        << read << K::RateLimited << true << qint64(-1) << 1 << true << qint64(250);
    QTest::newRow("429 Retry-After shorter than backoff")
        << read << K::RateLimited << true << qint64(100) << 4 << true << qint64(2000);
    QTest::newRow("429 Retry-After beyond 120 s gives up")
        << read << K::RateLimited << true << qint64(121000) << 1 << false << qint64(0);
    QTest::newRow("create 429 is retried after Retry-After")
        << create << K::RateLimited << true << qint64(5000) << 1 << true << qint64(5000);
    QTest::newRow("5xx on read retried, attempt 1")
        << read << K::ServerError << true << qint64(-1) << 1 << true << qint64(250);
    QTest::newRow("5xx on read retried, attempt 3")
        << read << K::ServerError << true << qint64(-1) << 3 << true << qint64(1000);
    QTest::newRow("5xx on read retried with backoff, capped")
        << read << K::ServerError << true << qint64(-1) << 5 << true << qint64(4000);
    QTest::newRow("5xx on read, attempts used up")
        << read << K::ServerError << true << qint64(-1) << 6 << false << qint64(0);
    QTest::newRow("5xx with Retry-After waits longer")
        << read << K::ServerError << true << qint64(7000) << 1 << true << qint64(7000);
    QTest::newRow("network error on read retried")
        << read << K::Network << true << qint64(-1) << 2 << true << qint64(500);
    QTest::newRow("timeout on read retried")
        << read << K::Timeout << true << qint64(-1) << 3 << true << qint64(1000);
    QTest::newRow("create 5xx -> outcome unknown, no retry")
        << create << K::ServerError << true << qint64(-1) << 1 << false << qint64(0);
    QTest::newRow("create outcome unknown never retried")
        << create << K::OutcomeUnknown << true << qint64(-1) << 1 << false << qint64(0);
    QTest::newRow("create timeout never retried")
        << create << K::Timeout << true << qint64(-1) << 1 << false << qint64(0);
    QTest::newRow("create reset never retried")
        << create << K::Network << true << qint64(-1) << 1 << false << qint64(0);
    QTest::newRow("create connection refused -> retried")
        << create << K::Network << false << qint64(-1) << 1 << true << qint64(250);
    QTest::newRow("create refused, attempts used up")
        << create << K::Network << false << qint64(-1) << 6 << false << qint64(0);
    QTest::newRow("422 never retried")
        << read << K::InvalidInput << true << qint64(-1) << 1 << false << qint64(0);
    QTest::newRow("create 422 never retried")
        << create << K::InvalidInput << true << qint64(-1) << 1 << false << qint64(0);
    QTest::newRow("401 never retried")
        << read << K::Unauthenticated << true << qint64(-1) << 1 << false << qint64(0);
    QTest::newRow("402 never retried")
        << create << K::InsufficientCredit << true << qint64(-1) << 1 << false << qint64(0);
    QTest::newRow("404 never retried")
        << read << K::NotFound << true << qint64(-1) << 1 << false << qint64(0);
    QTest::newRow("other 4xx never retried")
        << read << K::HttpError << true << qint64(-1) << 1 << false << qint64(0);
    QTest::newRow("malformed JSON permanent")
        << read << K::MalformedResponse << true << qint64(-1) << 1 << false << qint64(0);
    QTest::newRow("our own abort is final")
        << read << K::Canceled << true << qint64(-1) << 1 << false << qint64(0);
    QTest::newRow("refused locally is final")
        << create << K::InvalidRequest << false << qint64(-1) << 1 << false << qint64(0);
}

void TestRetryPolicy::decisions()
{
    QFETCH(RequestKind, request);
    QFETCH(ProviderError::Kind, kind);
    QFETCH(bool, sent);
    QFETCH(qint64, retryAfterMs);
    QFETCH(int, attempt);
    QFETCH(bool, retry);
    QFETCH(qint64, delayMs);

    const RetryPolicy policy(RetryPolicy::Options{}, [] { return 1.0; });
    // Each row's earlier attempts ended like this one (all 429s, or all failures).
    const int rateLimited = kind == ProviderError::Kind::RateLimited ? attempt : 0;
    const RetryDecision decision =
        policy.decide(request, makeError(kind, sent, retryAfterMs), attempt, rateLimited);
    QCOMPARE(decision.retry, retry);
    QCOMPARE(decision.delay.count(), delayMs);
}

void TestRetryPolicy::backoffDoublesUpToTheCap()
{
    const RetryPolicy policy(RetryPolicy::Options{100, 250ms, 30s, 120s}, [] { return 1.0; });
    const QList<qint64> expected{250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
    QList<qint64> actual;
    for (int attempt = 1; attempt <= 10; ++attempt)
        actual << policy.backoff(attempt).count();
    QCOMPARE(actual, expected);
    QCOMPARE(policy.backoff(1000).count(), 30000); // no overflow far out
}

void TestRetryPolicy::jitterStaysInTheUpperHalf_data()
{
    QTest::addColumn<double>("random");
    QTest::addColumn<qint64>("expectedMs");
    QTest::newRow("random 0 -> half") << 0.0 << qint64(1000);
    QTest::newRow("random 0.5 -> three quarters") << 0.5 << qint64(1500);
    QTest::newRow("random 0.999 -> almost full") << 0.999 << qint64(1999);
    QTest::newRow("out-of-range random is clamped") << 7.0 << qint64(2000);
}

void TestRetryPolicy::jitterStaysInTheUpperHalf()
{
    QFETCH(double, random);
    QFETCH(qint64, expectedMs);
    const RetryPolicy policy(RetryPolicy::Options{}, [random] { return random; });
    QCOMPARE(policy.backoff(4).count(), expectedMs);
    // With a Retry-After the delay never drops below it, whatever the jitter.
    ProviderError limited;
    limited.kind = ProviderError::Kind::RateLimited;
    limited.retryAfter = 1800ms;
    QVERIFY(policy.decide(RequestKind::Read, limited, 4).delay >= 1800ms);
}

void TestRetryPolicy::defaultRandomSourceIsBounded()
{
    const RetryPolicy policy;
    for (int i = 0; i < 200; ++i) {
        const auto delay = policy.backoff(3);
        QVERIFY(delay >= 500ms);
        QVERIFY(delay <= 1000ms);
    }
    QCOMPARE(policy.options().maxAttempts, 6);
}

void TestRetryPolicy::noRetriesPolicy()
{
    const RetryPolicy policy = RetryPolicy::noRetries();
    QVERIFY(
        !policy.decide(RequestKind::Read, makeError(ProviderError::Kind::ServerError, true, -1), 1)
             .retry);
}

void TestRetryPolicy::rateLimitStormHasItsOwnBudget()
{
    using K = ProviderError::Kind;
    const RetryPolicy policy(RetryPolicy::Options{}, [] { return 1.0; });
    const ProviderError throttled = makeError(K::RateLimited, true, 30'000);
    const ProviderError serverError = makeError(K::ServerError, true, -1);
    const ProviderError refused = makeError(K::Network, false, -1);

    // Far more 429s than maxAttempts (6): still retried, after the server's delay, reads and
    // creates alike, until the 429 budget (100) is spent.
    for (const int n : {6, 7, 50, 99}) {
        QCOMPARE(policy.decide(RequestKind::Read, throttled, n, n), RetryDecision::after(30'000ms));
        QCOMPARE(policy.decide(RequestKind::Create, throttled, n, n),
                 RetryDecision::after(30'000ms));
    }
    QCOMPARE(policy.decide(RequestKind::Read, throttled, 100, 100), RetryDecision::giveUp());

    // A real failure after 40 429s is the first failure: the first backoff, and five more
    // failures are still allowed.
    QCOMPARE(policy.decide(RequestKind::Read, serverError, 41, 40), RetryDecision::after(250ms));
    QCOMPARE(policy.decide(RequestKind::Create, refused, 45, 40), RetryDecision::after(4000ms));
    QCOMPARE(policy.decide(RequestKind::Read, serverError, 46, 40), RetryDecision::giveUp());
    // And 429s after failures don't start from their backoff: one 429 waits the first step.
    QCOMPARE(policy.decide(RequestKind::Read, makeError(K::RateLimited, true, -1), 6, 1),
             RetryDecision::after(250ms));
}

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"

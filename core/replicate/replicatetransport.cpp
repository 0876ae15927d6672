// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "replicatetransport.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include <QLoggingCategory>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QRegularExpression>

#include "core/provider/providerclock.h"
#include "core/replicate/replicateerrors.h"

namespace brieflow::replicate {

namespace {

Q_LOGGING_CATEGORY(lcReplicate, "brieflow.core.replicate", QtInfoMsg)

// Errors QNAM derives from an HTTP status: the answer is complete and its body readable.
bool isHttpLevelError(QNetworkReply::NetworkError code)
{
    return code == QNetworkReply::NoError
           || (code >= QNetworkReply::ContentAccessDenied
               && code <= QNetworkReply::UnknownContentError)
           || code == QNetworkReply::ProtocolInvalidOperationError
           || (code >= QNetworkReply::InternalServerError
               && code <= QNetworkReply::UnknownServerError);
}

ProviderError localError(ProviderError::Kind kind, const QString &detail, bool sent)
{
    ProviderError error;
    error.kind = kind;
    error.detail = detail;
    error.mayHaveReachedServer = sent;
    return error;
}

/**
 * A create's body. Qt 6.4's HTTP/1 channel re-sends a request by itself when the connection
 * closes after the request was written but before an answer (RemoteHostClosedError while
 * waiting, up to three times, whatever the method), rewinding the upload device to do so. For
 * a create that is a duplicate paid prediction. This device refuses to rewind once read, so Qt
 * fails the reply (ContentReSendError) instead and we report OutcomeUnknown. It must not be a
 * QBuffer: Qt reads a QBuffer's bytes directly and would rewind those on its own.
 */
class OneShotBody final : public QIODevice {
public:
    OneShotBody(QByteArray data, QObject *parent)
        : QIODevice(parent)
        , m_data(std::move(data))
    {
        open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    }

    qint64 size() const override { return m_data.size(); }
    bool reset() override { return seek(0); }
    bool seek(qint64 pos) override
    {
        if (pos < m_offset || pos > m_data.size() || !QIODevice::seek(pos))
            return false; // never backwards: what was read may be on the wire already
        m_offset = pos;
        return true;
    }

protected:
    qint64 readData(char *out, qint64 maxSize) override
    {
        const qint64 count = std::min(maxSize, m_data.size() - m_offset);
        if (count <= 0)
            return 0;
        std::memcpy(out, m_data.constData() + m_offset, static_cast<std::size_t>(count));
        m_offset += count;
        return count;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_offset = 0;
};

/**
 * The low-credit throttle's 429, recognised by its text: "Your rate limit for creating
 * predictions is reduced to 6 requests per minute with a burst of 1 requests while you have less
 * than $5.0 in credit." (tests/data/replicate/error-429-low-credit-throttle.json). The numbers
 * are taken from the text when they are there; @p fallback otherwise.
 */
std::optional<TokenBucket::Rate> lowCreditRate(const ProviderError &error,
                                               const TokenBucket::Rate &fallback)
{
    if (error.kind != ProviderError::Kind::RateLimited)
        return std::nullopt;
    const QString text = error.detail + QLatin1Char(' ') + error.title;
    if (!text.contains(QLatin1String("credit"), Qt::CaseInsensitive)
        || !text.contains(QLatin1String("reduced"), Qt::CaseInsensitive))
        return std::nullopt;
    static const QRegularExpression numbers(
        QStringLiteral(R"(reduced to (\d+) requests? per minute(?: with a burst of (\d+))?)"),
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = numbers.match(text);
    if (!match.hasMatch())
        return fallback;
    const int perMinute = match.captured(1).toInt();
    const int burst = match.captured(2).isEmpty() ? 1 : match.captured(2).toInt();
    if (perMinute <= 0 || perMinute > 600)
        return fallback;
    return TokenBucket::Rate::perMinute(perMinute, burst);
}

} // namespace

struct ReplicateTransport::Call {
    quint64 id = 0;
    HttpRequestSpec spec;
    Completion done;
    QPointer<QObject> context;
    bool hasContext = false;
    QMetaObject::Connection contextWatch;
    State state = State::Queued;
    QNetworkReply *reply = nullptr;
    QString host;
    int attempts = 0;
    int rateLimited = 0; ///< attempts answered 429 (they have a budget of their own)
    bool abortRequested = false;
    bool redirectRefused = false;
    int redirectStatus = 0;
    QString lastToken; ///< the token of the last attempt, to redact even if it changed since
};

ReplicateTransport::ReplicateTransport(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_clock(m_options.clock ? m_options.clock : SystemClock::instance())
    , m_nam(this)
    , m_createBucket(m_options.createRate, m_clock)
    , m_readBucket(m_options.readRate, m_clock)
{
    m_options.maxInFlightPerHost = std::max(1, m_options.maxInFlightPerHost);
    m_nam.setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
}

ReplicateTransport::~ReplicateTransport()
{
    // Abandon in-flight requests without calling anyone back: our callers are going away too.
    for (auto it = m_replies.cbegin(); it != m_replies.cend(); ++it) {
        disconnect(it.key(), nullptr, this, nullptr);
        it.key()->abort();
    }
    m_replies.clear();
    m_calls.clear();
}

QString ReplicateTransport::hostKey(const QUrl &url)
{
    return url.scheme() + QStringLiteral("://") + url.host().toLower() + QLatin1Char(':')
           + QString::number(url.port(url.scheme() == QLatin1StringView("https") ? 443 : 80));
}

qint64 ReplicateTransport::nowMs() const
{
    return m_clock->nowUtc().toMSecsSinceEpoch();
}

int ReplicateTransport::inFlightCount() const
{
    int total = 0;
    for (int count : m_inFlight)
        total += count;
    return total;
}

void ReplicateTransport::redact(ProviderError &error) const
{
    if (m_options.token)
        redactSecret(error, m_options.token());
}

quint64 ReplicateTransport::send(HttpRequestSpec spec, QObject *context, Completion done)
{
    const quint64 id = m_nextId++;
    auto call = std::make_unique<Call>();
    call->id = id;
    call->host = hostKey(spec.url);
    call->spec = std::move(spec);
    call->done = std::move(done);
    if (context) {
        call->hasContext = true;
        call->context = context;
        call->contextWatch = connect(context, &QObject::destroyed, this, [this, id] { drop(id); });
    }
    m_calls.emplace(id, std::move(call));
    m_backlog.push_back(id);
    pump();
    return id;
}

QNetworkReply *ReplicateTransport::openStream(const QUrl &url, const QUrl &apiBase)
{
    const QString host = hostKey(url);
    if (m_streams.value(host) >= std::max(1, m_options.maxInFlightPerHost - 2)
        || m_inFlight.value(host) >= m_options.maxInFlightPerHost)
        return nullptr;
    const QString token = m_options.token ? m_options.token() : QString();
    if (token.isEmpty())
        return nullptr;

    QNetworkRequest request(url);
    const bool sameOrigin = url.scheme() == apiBase.scheme() && url.host() == apiBase.host()
                            && url.port() == apiBase.port();
    const QString h = url.host().toLower();
    const bool replicateHost = url.scheme() == QLatin1String("https")
                               && (h.endsWith(QLatin1String(".replicate.com"))
                                   || h.endsWith(QLatin1String(".replicate.net")));
    if (sameOrigin || replicateHost)
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    request.setHeader(QNetworkRequest::UserAgentHeader, m_options.userAgent);
    request.setRawHeader("Accept", "text/event-stream");
    request.setRawHeader("Cache-Control", "no-store");
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    // No transfer timeout: a stream may stay quiet while the model boots; polling is the net.
    QNetworkReply *reply = m_nam.get(request);
    ++m_inFlight[host];
    ++m_streams[host];
    m_peakInFlight = std::max(m_peakInFlight, m_inFlight.value(host));
    connect(reply, &QObject::destroyed, this, [this, host] {
        --m_inFlight[host];
        --m_streams[host];
        pump();
    });
    return reply;
}

void ReplicateTransport::pump()
{
    // Not re-entrant: a callback that sends or aborts while we pump just asks for another pass.
    if (m_pumping) {
        m_pumpAgain = true;
        return;
    }
    m_pumping = true;
    // When a call held back by a bucket or a 429 may go; noWake: none is held back. (A plain
    // integer: GCC's -O2 -Wmaybe-uninitialized misreads std::optional<qint64> here.)
    constexpr qint64 noWake = std::numeric_limits<qint64>::max();
    qint64 wake = noWake;
    const auto wakeNoLaterThan = [&wake](qint64 at) { wake = std::min(wake, at); };
    do {
        m_pumpAgain = false;
        wake = noWake;
        const qint64 now = nowMs();
        if (m_lowCreditUntilMs != 0 && now >= m_lowCreditUntilMs) {
            qCInfo(lcReplicate) << "creates back at the normal rate after the low-credit period";
            m_lowCreditUntilMs = 0;
            m_createBucket.setRate(m_options.createRate);
        }
        for (std::size_t i = 0; i < m_backlog.size();) {
            const auto found = m_calls.find(m_backlog[i]);
            if (found == m_calls.end()) {
                m_backlog.erase(m_backlog.begin() + static_cast<std::ptrdiff_t>(i));
                continue;
            }
            Call &call = *found->second;
            if (m_inFlight.value(call.host) >= m_options.maxInFlightPerHost) {
                ++i; // a reply finishing pumps again
                continue;
            }
            if (const qint64 held = m_heldUntilMs.value(call.host); held > now) {
                wakeNoLaterThan(held);
                ++i;
                continue;
            }
            // Last, so a token is only spent on a request that leaves now. Calls of one kind
            // stay in order: once a bucket is empty, every later call of that kind waits too.
            TokenBucket &bucket =
                call.spec.kind == RequestKind::Create ? m_createBucket : m_readBucket;
            if (!bucket.tryTake()) {
                wakeNoLaterThan(now + bucket.delayUntilAvailable().count());
                ++i;
                continue;
            }
            m_backlog.erase(m_backlog.begin() + static_cast<std::ptrdiff_t>(i));
            start(call); // may finish (and erase) the call
        }
    } while (m_pumpAgain);
    m_pumping = false;
    if (wake != noWake)
        wakeAt(wake);
}

void ReplicateTransport::wakeAt(qint64 atMs)
{
    if (m_wakeAtMs && *m_wakeAtMs <= atMs)
        return; // an earlier pump is due anyway; it schedules the next one
    m_wakeAtMs = atMs;
    const qint64 delay = std::max<qint64>(0, atMs - nowMs());
    m_clock->schedule(std::chrono::milliseconds(delay), this, [this, atMs] {
        if (m_wakeAtMs == atMs)
            m_wakeAtMs.reset();
        pump();
    });
}

ReplicateTransport::RateLimitReason ReplicateTransport::onRateLimited(const Call &call,
                                                                      const ProviderError &error)
{
    const qint64 now = nowMs();
    if (error.retryAfter && error.retryAfter->count() > 0) {
        qint64 &held = m_heldUntilMs[call.host];
        held = std::max(held, now + error.retryAfter->count());
    }
    const std::optional<TokenBucket::Rate> low = lowCreditRate(error, m_options.lowCreditRate);
    if (!low)
        return RateLimitReason::Throttled;
    if (m_createBucket.rate() != *low) {
        qCWarning(lcReplicate).noquote()
            << "low-credit throttle: creates limited to one every"
            << std::chrono::duration_cast<std::chrono::milliseconds>(low->refillInterval).count()
            << "ms (burst" << low->capacity << ")";
        m_createBucket.setRate(*low);
    }
    m_lowCreditUntilMs = now + m_options.lowCreditPeriod.count();
    return RateLimitReason::LowCredit;
}

void ReplicateTransport::start(Call &call)
{
    const QString token = m_options.token ? m_options.token() : QString();
    if (token.isEmpty()) {
        ProviderError error = localError(ProviderError::Kind::Unauthenticated,
                                         QStringLiteral("No API token is configured"), false);
        finish(call.id, fail(std::move(error)), true);
        return;
    }

    call.lastToken = token;
    QNetworkRequest request(call.spec.url);
    request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    request.setHeader(QNetworkRequest::UserAgentHeader, m_options.userAgent);
    request.setRawHeader("Accept", "application/json");
    if (call.spec.method == "POST")
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    for (const auto &[name, value] : std::as_const(call.spec.headers))
        request.setRawHeader(name, value);

    // The timer starts now, when QNAM gets the request: our window guarantees it is sent now.
    std::chrono::milliseconds timeout = m_options.requestTimeout;
    if (call.spec.preferWaitSeconds > 0)
        timeout = std::max(timeout, std::chrono::milliseconds(call.spec.preferWaitSeconds * 1000)
                                        + m_options.preferWaitMargin);
    request.setTransferTimeout(static_cast<int>(timeout.count()));

    // Reads follow same-origin redirects only (checked in onRedirected, so Authorization never
    // travels to another host); a create never follows one.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         call.spec.kind == RequestKind::Create
                             ? QNetworkRequest::ManualRedirectPolicy
                             : QNetworkRequest::UserVerifiedRedirectPolicy);
    request.setMaximumRedirectsAllowed(3);

    QNetworkReply *reply = nullptr;
    if (call.spec.kind == RequestKind::Create) {
        auto *body = new OneShotBody(call.spec.body, this);
        request.setHeader(QNetworkRequest::ContentLengthHeader, call.spec.body.size());
        reply = m_nam.post(request, body);
        body->setParent(reply);
    } else if (call.spec.method == "GET") {
        reply = m_nam.get(request);
    } else {
        // Reads only: Qt's own re-send after a dropped connection is harmless for them.
        reply = m_nam.sendCustomRequest(request, call.spec.method, call.spec.body);
    }

    ++call.attempts;
    call.state = State::InFlight;
    call.reply = reply;
    call.abortRequested = false;
    call.redirectRefused = false;
    m_replies.insert(reply, call.id);
    const int inFlight = ++m_inFlight[call.host];
    m_peakInFlight = std::max(m_peakInFlight, inFlight);
    qCDebug(lcReplicate).noquote() << call.spec.method << call.spec.url.path() << "attempt"
                                   << call.attempts << "in flight" << inFlight;

    connect(reply, &QNetworkReply::finished, this, [this, reply] { onFinished(reply); });
    connect(reply, &QNetworkReply::redirected, this,
            [this, reply](const QUrl &target) { onRedirected(reply, target); });
}

void ReplicateTransport::onRedirected(QNetworkReply *reply, const QUrl &target)
{
    const auto found = m_calls.find(m_replies.value(reply));
    if (found == m_calls.end())
        return;
    Call &call = *found->second;
    const QUrl resolved = call.spec.url.resolved(target);
    if (call.spec.kind == RequestKind::Read && isSameOrigin(resolved, call.spec.url)) {
        Q_EMIT reply->redirectAllowed();
        return;
    }
    qCWarning(lcReplicate).noquote()
        << "refusing a redirect of" << call.spec.url.path() << "to another origin";
    call.redirectRefused = true;
    call.redirectStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->abort();
}

Result<HttpReply, ProviderError> ReplicateTransport::outcomeOf(Call &call, QNetworkReply *reply)
{
    if (call.abortRequested)
        return fail(localError(ProviderError::Kind::Canceled,
                               QStringLiteral("aborted while in flight"), true));
    if (call.redirectRefused) {
        ProviderError error =
            localError(ProviderError::Kind::HttpError,
                       QStringLiteral("refused a redirect to another origin"), true);
        error.httpStatus = call.redirectStatus;
        return fail(std::move(error));
    }
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const QNetworkReply::NetworkError code = reply->error();
    if (status.isValid() && isHttpLevelError(code)) {
        const int httpStatus = status.toInt();
        QByteArray body = reply->readAll();
        if (httpStatus >= 200 && httpStatus <= 299)
            return HttpReply{httpStatus, std::move(body), call.attempts};
        return fail(errorFromHttpResponse(httpStatus, body, reply->rawHeader("Retry-After"),
                                          m_clock->nowUtc()));
    }
    return fail(errorFromNetworkFailure(code, reply->errorString()));
}

void ReplicateTransport::onFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    const auto mapped = m_replies.find(reply);
    if (mapped == m_replies.end())
        return;
    const quint64 id = mapped.value();
    m_replies.erase(mapped);
    const auto found = m_calls.find(id);
    if (found == m_calls.end())
        return;
    Call &call = *found->second;
    call.reply = nullptr;
    --m_inFlight[call.host];

    Result<HttpReply, ProviderError> outcome = outcomeOf(call, reply);
    const bool aborted = call.abortRequested;
    if (!outcome.ok()) {
        ProviderError error = outcome.error();
        if (call.spec.kind == RequestKind::Create)
            error = asCreateFailure(std::move(error));
        error.attempts = call.attempts;
        const bool throttled = error.kind == ProviderError::Kind::RateLimited;
        const RateLimitReason reason =
            throttled ? onRateLimited(call, error) : RateLimitReason::Throttled;
        if (throttled)
            ++call.rateLimited;
        if (!aborted) {
            const RetryDecision decision = m_options.retryPolicy.decide(
                call.spec.kind, error, call.attempts, call.rateLimited);
            if (decision.retry) {
                qCInfo(lcReplicate).noquote()
                    << "retrying" << call.spec.method << call.spec.url.path() << "in"
                    << decision.delay.count() << "ms after" << toString(error.kind) << "(attempt"
                    << call.attempts << ',' << call.rateLimited << "of them 429)";
                retryLater(id, decision.delay);
                if (throttled)
                    Q_EMIT rateLimited(decision.delay.count(), reason);
                pump();
                return;
            }
        }
        qCDebug(lcReplicate).noquote() << call.spec.method << call.spec.url.path()
                                       << "failed:" << toString(error.kind) << error.httpStatus;
        outcome = fail(std::move(error));
    }
    pump();
    finish(id, std::move(outcome), aborted); // last: the callback may delete anything
}

void ReplicateTransport::retryLater(quint64 id, std::chrono::milliseconds delay)
{
    m_calls.at(id)->state = State::WaitingRetry;
    m_clock->schedule(delay, this, [this, id] {
        const auto found = m_calls.find(id);
        if (found == m_calls.end() || found->second->state != State::WaitingRetry)
            return;
        found->second->state = State::Queued;
        m_backlog.push_back(id);
        pump();
    });
}

void ReplicateTransport::abort(quint64 id)
{
    const auto found = m_calls.find(id);
    if (found == m_calls.end())
        return;
    Call &call = *found->second;
    if (call.state == State::InFlight && call.reply) {
        call.abortRequested = true;
        call.reply->abort(); // onFinished runs now and reports Canceled / OutcomeUnknown
        return;
    }
    // Queued or waiting for a retry: this attempt never left. For a create, earlier attempts
    // only ever ended in definite "not created" answers (the policy retries nothing else).
    std::erase(m_backlog, id);
    ProviderError error = localError(ProviderError::Kind::Canceled,
                                     QStringLiteral("aborted before sending"), call.attempts > 0);
    error.attempts = call.attempts;
    finish(id, fail(std::move(error)), true);
}

void ReplicateTransport::drop(quint64 id)
{
    const auto found = m_calls.find(id);
    if (found == m_calls.end())
        return;
    std::unique_ptr<Call> call = std::move(found->second);
    m_calls.erase(found);
    std::erase(m_backlog, id);
    if (QNetworkReply *reply = call->reply) {
        m_replies.remove(reply);
        disconnect(reply, nullptr, this, nullptr);
        --m_inFlight[call->host];
        reply->abort();
        reply->deleteLater();
        pump();
    }
}

void ReplicateTransport::finish(quint64 id, Result<HttpReply, ProviderError> outcome, bool queued)
{
    const auto found = m_calls.find(id);
    if (found == m_calls.end())
        return;
    std::unique_ptr<Call> call = std::move(found->second);
    m_calls.erase(found);
    disconnect(call->contextWatch);
    if (!outcome.ok()) {
        ProviderError error = outcome.error();
        redactSecret(error, call->lastToken);
        redact(error);
        outcome = fail(std::move(error));
    }
    auto deliver = [done = std::move(call->done), context = call->context,
                    hasContext = call->hasContext, outcome = std::move(outcome)] {
        if (done && (!hasContext || context))
            done(outcome);
    };
    if (queued)
        QMetaObject::invokeMethod(this, std::move(deliver), Qt::QueuedConnection);
    else
        deliver();
}

} // namespace brieflow::replicate

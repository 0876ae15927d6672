// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandboxserver.h"

#include <QHttpServerRequest>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTimer>

#include "core/sandbox/catalogapi.h"
#include "core/sandbox/controlapi.h"
#include "core/sandbox/imagegenerator.h"
#include "core/sandbox/problems.h"

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace brieflow::sandbox {

Q_LOGGING_CATEGORY(lcSandbox, "brieflow.sandbox")

namespace {

/** Ends the connection with a TCP RST rather than a FIN, like a dropped proxy connection. */
void resetConnection(QTcpSocket *socket)
{
    if (!socket)
        return;
#ifdef Q_OS_UNIX
    const linger noLinger{1, 0};
    ::setsockopt(static_cast<int>(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &noLinger,
                 sizeof noLinger);
#endif
    socket->abort();
}

bool isCreate(const HttpRequest &r)
{
    static const QRegularExpression create(
        QStringLiteral("^/v1/((models|deployments)/[^/]+/[^/]+/)?predictions$"));
    return r.method == "POST" && create.match(r.path).hasMatch();
}

/** The rate-limit bucket of an API request; none for files, streams and unknown roots. */
std::optional<Bucket> apiBucket(const HttpRequest &r)
{
    if (!r.path.startsWith(QLatin1String("/v1/"))
        || r.path.startsWith(QLatin1String("/v1/streams/")))
        return std::nullopt;
    if (isCreate(r))
        return Bucket::Create;
    if (r.method == "GET" && r.path.count(QLatin1Char('/')) == 3
        && r.path.startsWith(QLatin1String("/v1/predictions/")))
        return Bucket::GetPrediction;
    return Bucket::Other;
}

/** The socket property holding the last 429 answered on it for @p bucket: [sent, Retry-After
 *  ends] in sandbox nanoseconds. */
QByteArray retryProperty(Bucket bucket)
{
    return "brieflowSandboxRetryNs" + QByteArray::number(static_cast<int>(bucket));
}
constexpr qint64 NsPerMs = 1000 * 1000;

} // namespace

QString endpointKey(const HttpRequest &request)
{
    struct Rule {
        QRegularExpression pattern;
        QString replacement;
    };
    static const QList<Rule> rules = {
        {QRegularExpression(QStringLiteral("^/v1/predictions/[^/]+/cancel$")),
         QStringLiteral("/v1/predictions/{id}/cancel")},
        {QRegularExpression(QStringLiteral("^/v1/predictions/[^/]+$")),
         QStringLiteral("/v1/predictions/{id}")},
        {QRegularExpression(QStringLiteral("^/v1/(models|deployments)/[^/]+/[^/]+/predictions$")),
         QStringLiteral("/v1/\\1/{owner}/{name}/predictions")},
        {QRegularExpression(QStringLiteral("^/v1/models/[^/]+/[^/]+/versions/[^/]+$")),
         QStringLiteral("/v1/models/{owner}/{name}/versions/{id}")},
        {QRegularExpression(QStringLiteral("^/v1/models/[^/]+/[^/]+/versions$")),
         QStringLiteral("/v1/models/{owner}/{name}/versions")},
        {QRegularExpression(QStringLiteral("^/v1/(models|deployments)/[^/]+/[^/]+$")),
         QStringLiteral("/v1/\\1/{owner}/{name}")},
        {QRegularExpression(QStringLiteral("^/v1/streams/[^/]+$")),
         QStringLiteral("/v1/streams/{token}")},
        {QRegularExpression(QStringLiteral("^/files/[^/]+/[^/]+$")),
         QStringLiteral("/files/{id}/{name}")},
        {QRegularExpression(QStringLiteral("^/p/[^/]+$")), QStringLiteral("/p/{id}")},
        {QRegularExpression(QStringLiteral("^/__control/predictions/[^/]+$")),
         QStringLiteral("/__control/predictions/{id}")},
    };
    QString path = request.path;
    for (const Rule &rule : rules) {
        if (rule.pattern.match(path).hasMatch()) {
            path.replace(rule.pattern, rule.replacement);
            break;
        }
    }
    return QString::fromLatin1(request.method) + QLatin1Char(' ') + path;
}

SandboxServer::SandboxServer(const SandboxConfig &config, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_config(config)
    , m_clock(config.startTime)
    , m_limiter(&m_clock)
    , m_faults(config.seed, &m_clock)
    , m_engine(&m_clock, &m_config)
    , m_webhooks(&m_engine, &m_clock, &m_stats, &m_config, &m_urls)
    , m_streams(&m_engine)
    , m_predictionApi(
          SandboxContext{&m_config, &m_clock, &m_catalog, &m_engine, &m_stats, &m_faults, &m_urls},
          [this](const ExchangePtr &exchange, HttpResponse response) {
              respond(exchange, std::move(response));
          })
{
    m_limiter.configure(m_config.rateLimits, m_config.credit);
}

SandboxServer::~SandboxServer() = default;

bool SandboxServer::start()
{
    auto *tcp = new QTcpServer(this);
    if (!tcp->listen(QHostAddress::LocalHost, m_config.port)) {
        m_error = QStringLiteral("The Replicate sandbox could not listen on 127.0.0.1:%1: %2")
                      .arg(m_config.port)
                      .arg(tcp->errorString());
        delete tcp;
        return false;
    }
    bind(tcp);
    m_port = tcp->serverPort();
    m_urls.origin = QStringLiteral("http://127.0.0.1:%1").arg(m_port);
    m_urls.streamOrigin = m_config.streamHost.isEmpty()
                              ? m_urls.origin
                              : QStringLiteral("http://%1:%2").arg(m_config.streamHost).arg(m_port);
    if (!canWriteImageFormat("webp"))
        qCWarning(lcSandbox) << "Qt's WebP image plugin is missing (install "
                                "qt6-image-formats-plugins): webp outputs will fail";
    return true;
}

QUrl SandboxServer::baseUrl() const
{
    return QUrl(m_urls.api());
}

bool SandboxServer::setLatency(const QString &model, const LatencyDistribution &latency)
{
    const bool all = model == QLatin1String("*");
    const bool text =
        all || model == QLatin1String("text") || model == ModelCatalog::textModelName();
    const bool image =
        all || model == QLatin1String("image") || model == ModelCatalog::imageModelName();
    if (text)
        m_config.textLatency = latency;
    if (image)
        m_config.imageLatency = latency;
    return text || image;
}

void SandboxServer::setRateLimits(const RateLimits &limits)
{
    m_config.rateLimits = limits;
    m_limiter.configure(m_config.rateLimits, m_config.credit);
}

void SandboxServer::setCredit(CreditState credit)
{
    m_config.credit = credit;
    m_limiter.configure(m_config.rateLimits, m_config.credit);
}

void SandboxServer::setQuirks(const Quirks &quirks)
{
    m_config.quirks = quirks;
}

void SandboxServer::setDataTtl(qint64 ms)
{
    m_config.dataTtlMs = std::max<qint64>(0, ms);
}

void SandboxServer::setPageSize(int size)
{
    m_config.pageSize = std::max(1, size);
}

void SandboxServer::setRejectedTokenPrefixes(const QStringList &prefixes)
{
    m_config.rejectedTokenPrefixes = prefixes;
}

void SandboxServer::setStrictInputs(bool strict)
{
    m_config.strictInputs = strict;
}

int SandboxServer::addFault(const FaultRule &rule)
{
    return m_faults.add(rule);
}

void SandboxServer::clearFaults()
{
    m_faults.clear();
}

void SandboxServer::advanceClock(qint64 ms)
{
    m_clock.advance(ms);
}

bool SandboxServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    auto exchange = std::make_shared<Exchange>();
    exchange->socket = socket;
    exchange->request = HttpRequest::from(request);
    dispatch(exchange);
    return true;
}

void SandboxServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    auto exchange = std::make_shared<Exchange>();
    exchange->socket = socket;
    exchange->request = HttpRequest::from(request);
    write(exchange, problems::notFound());
}

void SandboxServer::dispatch(const ExchangePtr &exchange)
{
    const HttpRequest &r = exchange->request;
    m_stats.countRequest(endpointKey(r));
    if (r.path.startsWith(QLatin1String("/__control"))
        || r.path.startsWith(QLatin1String("/__stats"))) {
        write(exchange, handleControl(*this, r));
        return;
    }
    exchange->inFlight = true;
    m_stats.requestStarted();
    exchange->bucket = apiBucket(r);
    auditArrival(exchange);

    exchange->faults = m_faults.matchRequest(QString::fromLatin1(r.method), r.path);
    if (exchange->faults.errorStatus) {
        m_stats.countFault(faultKindName(FaultKind::HttpError),
                           QString::number(*exchange->faults.errorStatus) + QLatin1Char(' ')
                               + endpointKey(r));
        respond(exchange, problems::serverError(*exchange->faults.errorStatus));
        return;
    }
    if (exchange->faults.throttleRetryAfter) {
        m_stats.countFault(faultKindName(FaultKind::RateLimitStorm));
        respond(exchange, problems::throttled(*exchange->faults.throttleRetryAfter, false));
        return;
    }
    if (auto response = handlePublicFiles(
            r, {&m_config, &m_clock, &m_catalog, &m_engine, &m_stats, &m_faults, &m_urls})) {
        respond(exchange, *response);
        return;
    }
    if (r.path.startsWith(QLatin1String("/v1/streams/"))) {
        openStream(exchange);
        return;
    }
    if (!r.path.startsWith(QLatin1String("/v1/"))) {
        respond(exchange, problems::notFound());
        return;
    }
    if (!authenticate(exchange))
        return;

    const RateLimiter::Decision decision = m_limiter.take(exchange->bucket.value_or(Bucket::Other));
    if (!decision.allowed) {
        respond(exchange, problems::throttled(decision.retryAfterSeconds, decision.lowCredit));
        return;
    }
    exchange->rateLimitRemaining = decision.remaining;

    if (m_predictionApi.handle(exchange))
        return;
    if (auto response = handleCatalog(
            r, {&m_config, &m_clock, &m_catalog, &m_engine, &m_stats, &m_faults, &m_urls},
            m_webhooks.secret())) {
        respond(exchange, *response);
        return;
    }
    respond(exchange, problems::notFound());
}

bool SandboxServer::authenticate(const ExchangePtr &exchange)
{
    const QByteArray header = exchange->request.header("authorization").trimmed();
    QByteArray token;
    for (const QByteArray &scheme : {QByteArray("Bearer "), QByteArray("Token ")}) {
        if (header.size() > scheme.size()
            && header.left(scheme.size()).compare(scheme, Qt::CaseInsensitive) == 0)
            token = header.mid(scheme.size()).trimmed();
    }
    if (header.isEmpty()) {
        respond(exchange, problems::missingToken());
        return false;
    }
    bool rejected = token.isEmpty();
    for (const QString &prefix : std::as_const(m_config.rejectedTokenPrefixes))
        rejected = rejected || (!prefix.isEmpty() && token.startsWith(prefix.toUtf8()));
    if (rejected) {
        respond(exchange, problems::invalidToken());
        return false;
    }
    return true;
}

void SandboxServer::openStream(const ExchangePtr &exchange)
{
    const HttpRequest &r = exchange->request;
    const Prediction *p =
        m_engine.findByStreamToken(r.path.mid(QStringLiteral("/v1/streams/").size()));
    if (r.method != "GET") {
        respond(exchange, problems::methodNotAllowed(r.method));
        return;
    }
    if (!p || !exchange->socket) {
        respond(exchange, problems::notFound());
        return;
    }
    if (exchange->faults.reset) {
        respond(exchange, HttpResponse());
        return;
    }
    // The stream owns the socket from here; it is not counted as a request in flight.
    exchange->answered = true;
    m_stats.countResponse(200);
    finish(exchange);
    m_streams.open(exchange->socket, *p, {});
}

void SandboxServer::respond(const ExchangePtr &exchange, HttpResponse response)
{
    if (exchange->answered)
        return;
    exchange->answered = true;
    if (exchange->rateLimitRemaining >= 0 && response.status != 429) {
        response.setHeader("ratelimit-remaining", QByteArray::number(exchange->rateLimitRemaining));
        response.setHeader("ratelimit-reset", "1");
    }
    const RequestFaults &faults = exchange->faults;
    if (faults.errorAfterStatus && !faults.reset) {
        // Handled (a create created its prediction), but a gateway answers an error instead.
        m_stats.countFault(faultKindName(FaultKind::HttpError),
                           QString::number(*faults.errorAfterStatus)
                               + QStringLiteral(" after handling ")
                               + endpointKey(exchange->request));
        response = problems::serverError(*faults.errorAfterStatus);
    }
    auditThrottle(exchange, response);
    if (faults.reset) {
        m_stats.countFault(faultKindName(FaultKind::ConnectionReset));
        resetConnection(exchange->socket);
        finish(exchange);
        return;
    }
    m_stats.countResponse(response.status);
    if (faults.malformed) {
        m_stats.countFault(faultKindName(FaultKind::MalformedJson));
        response.body = response.body.left(std::max<qsizetype>(1, response.body.size() / 2));
    }
    if (faults.delayMs > 0) {
        m_stats.countFault(faultKindName(FaultKind::Delay));
        QTimer::singleShot(faults.delayMs, this,
                           [this, exchange, response] { write(exchange, response); });
        return;
    }
    write(exchange, response);
}

void SandboxServer::write(const ExchangePtr &exchange, const HttpResponse &response)
{
    QTcpSocket *socket = exchange->socket;
    if (socket && socket->state() == QAbstractSocket::ConnectedState) {
        socket->write(response.serialize(exchange->request.keepAlive));
        if (!exchange->request.keepAlive)
            socket->disconnectFromHost();
    }
    finish(exchange);
}

void SandboxServer::auditArrival(const ExchangePtr &exchange)
{
    if (!exchange->bucket)
        return;
    const qint64 now = m_clock.nowNs();
    if (QTcpSocket *socket = exchange->socket) {
        // Within the grace the request may have waited inside the client's HTTP stack for this
        // connection to become free, i.e. been handed over before the 429 was read.
        const QVariantList last =
            socket->property(retryProperty(*exchange->bucket).constData()).toList();
        if (last.size() == 2 && now < last.at(1).toLongLong()
            && now - last.at(0).toLongLong() > retryAfterGraceMs * NsPerMs)
            m_stats.countEarlyOnConnection();
    }
    const auto announced = m_announced.constFind(static_cast<int>(*exchange->bucket));
    if (announced != m_announced.cend() && now < announced->untilNs) {
        const bool inGrace = now - announced->atNs <= retryAfterGraceMs * NsPerMs;
        m_stats.countArrivedBeforeRetryAfter(bucketName(*exchange->bucket), inGrace);
    }
}

void SandboxServer::auditThrottle(const ExchangePtr &exchange, const HttpResponse &response)
{
    if (response.status != 429 || !exchange->bucket)
        return;
    bool ok = false;
    const int seconds = response.header("retry-after").toInt(&ok);
    m_stats.countThrottled(bucketName(*exchange->bucket));
    if (!ok)
        return;
    const qint64 now = m_clock.nowNs();
    const qint64 until = now + qint64(seconds) * 1000 * NsPerMs;
    // The grace runs from the start of a hold: once the client has read the first 429 of it,
    // nothing may be sent to that bucket until the hold (however extended) is over.
    Announced &a = m_announced[static_cast<int>(*exchange->bucket)];
    if (now >= a.untilNs)
        a.atNs = now;
    a.untilNs = std::max(a.untilNs, until);
    if (QTcpSocket *socket = exchange->socket)
        socket->setProperty(retryProperty(*exchange->bucket).constData(), QVariantList{now, until});
}

void SandboxServer::finish(const ExchangePtr &exchange)
{
    if (!exchange->inFlight)
        return;
    exchange->inFlight = false;
    m_stats.requestFinished();
}

} // namespace brieflow::sandbox

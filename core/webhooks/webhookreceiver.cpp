// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/webhooks/webhookreceiver.h"

#include <algorithm>

#include <QHash>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace brieflow {

namespace {

/** How much Qt may buffer per socket before we read it: memory stays bounded per client. */
constexpr qint64 kSocketReadBuffer = 64 * 1024;
/** An answered connection the client does not close is aborted after this. */
constexpr std::chrono::milliseconds kLingerAfterAnswer{2000};

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

QByteArray responseBytes(int status, const QByteArray &extraHeaders)
{
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status)
                          + "\r\nConnection: close\r\n" + extraHeaders;
    if (status == 204) {
        response += "\r\n";
    } else {
        // A short plain-text reason; never anything from the request.
        const QByteArray body = reasonPhrase(status) + '\n';
        response += "Content-Type: text/plain; charset=utf-8\r\nContent-Length: "
                    + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    }
    return response;
}

bool isToken(QByteArrayView text)
{
    // RFC 9110 tchar, enough to refuse whitespace, controls and separators in names and methods.
    static constexpr QByteArrayView kSpecials = "!#$%&'*+-.^_`|~";
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
               || kSpecials.contains(c);
    });
}

} // namespace

struct WebhookReceiver::Connection {
    enum class Phase { Head, Body, Answered };

    QTcpSocket *socket = nullptr;
    QTimer *timer = nullptr;
    Phase phase = Phase::Head;
    QByteArray buffer;
    qint64 contentLength = 0;
    WebhookHeaders headers;
};

WebhookReceiver::WebhookReceiver(const QString &secret, const ProviderClock &clock,
                                 WebhookReceiverOptions options,
                                 WebhookVerifierOptions verifierOptions, QObject *parent)
    : QObject(parent)
    , m_verifier(secret, clock, verifierOptions)
    , m_options(std::move(options))
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &WebhookReceiver::onNewConnection);
}

WebhookReceiver::~WebhookReceiver()
{
    close();
}

Result<void, QString> WebhookReceiver::listen()
{
    if (m_server->isListening())
        return {};
    if (!m_server->listen(m_options.address, m_options.port)) {
        return fail(QStringLiteral("cannot listen for webhooks on %1:%2: %3")
                        .arg(m_options.address.toString())
                        .arg(m_options.port)
                        .arg(m_server->errorString()));
    }
    return {};
}

void WebhookReceiver::close()
{
    m_server->close();
    auto connections = std::move(m_connections);
    m_connections.clear();
    for (auto &[socket, connection] : connections) {
        socket->disconnect(this);
        socket->abort();
        delete socket; // owns the timer
    }
}

bool WebhookReceiver::isListening() const
{
    return m_server->isListening();
}

quint16 WebhookReceiver::port() const
{
    return m_server->isListening() ? m_server->serverPort() : 0;
}

QUrl WebhookReceiver::localUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(m_options.address.toString());
    url.setPort(port());
    url.setPath(m_options.path);
    return url;
}

Result<void, QString> WebhookReceiver::setSecret(const QString &secret)
{
    return m_verifier.setSecret(secret);
}

void WebhookReceiver::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        socket->setReadBufferSize(kSocketReadBuffer);
        if (int(m_connections.size()) >= m_options.maxConnections) {
            ++m_stats.tooManyConnections;
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            QTimer::singleShot(kLingerAfterAnswer, socket, [socket] { socket->abort(); });
            socket->write(responseBytes(503, {}));
            socket->disconnectFromHost();
            reportHandled(QStringLiteral("rejected"), WebhookRejection::TooManyConnections, {});
            continue;
        }
        auto connection = std::make_unique<Connection>();
        connection->socket = socket;
        connection->timer = new QTimer(socket);
        connection->timer->setSingleShot(true);
        connect(connection->timer, &QTimer::timeout, this, [this, socket] { onTimeout(socket); });
        connection->timer->start(m_options.requestTimeout);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        // Deferred: disconnected() can be emitted from inside respond() (disconnectFromHost()
        // with nothing left to write), while the caller still uses the connection.
        connect(
            socket, &QTcpSocket::disconnected, this,
            [this, guard = QPointer<QTcpSocket>(socket)] {
                if (guard)
                    drop(guard.data());
            },
            Qt::QueuedConnection);
        m_connections.emplace(socket, std::move(connection));
        onReadyRead(socket); // bytes may already be waiting
    }
}

void WebhookReceiver::onReadyRead(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    Connection &connection = *it->second;

    while (socket->bytesAvailable() > 0) {
        switch (connection.phase) {
        case Connection::Phase::Answered:
            socket->skip(socket->bytesAvailable()); // nothing more is wanted from this client
            return;
        case Connection::Phase::Head: {
            // Read no more than could still belong to an acceptable header block.
            const qint64 room = m_options.maxHeaderBytes + 4 - connection.buffer.size();
            const qsizetype searchFrom = std::max<qsizetype>(0, connection.buffer.size() - 3);
            connection.buffer += socket->read(std::max<qint64>(1, room));
            const qsizetype end = connection.buffer.indexOf("\r\n\r\n", searchFrom);
            if (end < 0 || end > m_options.maxHeaderBytes) {
                if (connection.buffer.size() > m_options.maxHeaderBytes) {
                    ++m_stats.headersTooLarge;
                    reject(connection, 431, WebhookRejection::HeadersTooLarge);
                    return;
                }
                continue;
            }
            const QByteArray head = connection.buffer.left(end + 2); // lines keep their CRLF
            connection.buffer.remove(0, end + 4);
            processHead(connection, head);
            if (connection.phase != Connection::Phase::Body)
                return;
            // Anything read past the head is the start of the body, never more than declared.
            if (connection.buffer.size() > connection.contentLength)
                connection.buffer.truncate(connection.contentLength);
            break;
        }
        case Connection::Phase::Body:
            connection.buffer += socket->read(connection.contentLength - connection.buffer.size());
            break;
        }
        if (connection.phase == Connection::Phase::Body
            && connection.buffer.size() == connection.contentLength) {
            processBody(connection);
            return;
        }
    }
}

void WebhookReceiver::processHead(Connection &connection, const QByteArray &head)
{
    const auto malformed = [&] {
        ++m_stats.malformed;
        reject(connection, 400, WebhookRejection::Malformed);
    };
    QList<QByteArray> lines = head.split('\n');
    lines.removeLast(); // empty: the head ends with the last line's CRLF
    // Request line: METHOD SP request-target SP HTTP/1.x; every line ends in CRLF.
    QByteArray requestLine = lines.value(0);
    if (!requestLine.endsWith('\r'))
        return malformed();
    requestLine.chop(1);
    const QList<QByteArray> parts = requestLine.split(' ');
    if (parts.size() != 3 || !isToken(parts.at(0)) || !parts.at(1).startsWith('/')
        || (parts.at(2) != "HTTP/1.1" && parts.at(2) != "HTTP/1.0")) {
        return malformed();
    }

    QHash<QByteArray, QByteArray> fields;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        QByteArray line = lines.at(i);
        if (!line.endsWith('\r'))
            return malformed();
        line.chop(1);
        const qsizetype colon = line.indexOf(':');
        // No obsolete line folding, no space before the colon (RFC 9112 §5.1, §5.2).
        if (colon <= 0 || !isToken(QByteArrayView(line).first(colon)))
            return malformed();
        const QByteArray name = line.left(colon).toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        // A repeated framing or webhook header is ambiguous: refuse rather than pick one.
        if (fields.contains(name)
            && (name == "content-length" || name == "transfer-encoding"
                || name.startsWith("webhook-"))) {
            return malformed();
        }
        fields.insert(name, value);
    }

    const QByteArray target = parts.at(1);
    const qsizetype query = target.indexOf('?');
    const QByteArray path = query < 0 ? target : target.left(query);
    // The webhook-id (when sent) goes with every report from here on.
    connection.headers.id = fields.value("webhook-id");
    if (path != m_options.path.toUtf8()) {
        ++m_stats.notFound;
        return reject(connection, 404, WebhookRejection::NotFound);
    }
    if (parts.at(0) != "POST") {
        ++m_stats.methodNotAllowed;
        return reject(connection, 405, WebhookRejection::MethodNotAllowed, "Allow: POST\r\n");
    }
    const bool hasLength = fields.contains("content-length");
    if (fields.contains("transfer-encoding")) {
        if (hasLength)
            return malformed();
        ++m_stats.lengthRequired;
        return reject(connection, 411, WebhookRejection::LengthRequired);
    }
    if (!hasLength) {
        ++m_stats.lengthRequired;
        return reject(connection, 411, WebhookRejection::LengthRequired);
    }
    const QByteArray lengthText = fields.value("content-length");
    bool numeric = !lengthText.isEmpty() && lengthText.size() <= 18
                   && std::all_of(lengthText.begin(), lengthText.end(),
                                  [](char c) { return c >= '0' && c <= '9'; });
    if (!numeric)
        return malformed();
    const qint64 length = lengthText.toLongLong();
    if (length > m_options.maxBodyBytes) {
        ++m_stats.payloadTooLarge;
        return reject(connection, 413, WebhookRejection::TooLarge);
    }

    connection.contentLength = length;
    connection.headers.timestamp = fields.value("webhook-timestamp");
    connection.headers.signature = fields.value("webhook-signature");
    connection.phase = Connection::Phase::Body;
    connection.buffer.reserve(length);
    if (fields.value("expect").compare("100-continue", Qt::CaseInsensitive) == 0
        && connection.buffer.isEmpty() && length > 0) {
        connection.socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    }
}

void WebhookReceiver::processBody(Connection &connection)
{
    const WebhookVerification result = m_verifier.verify(connection.headers, connection.buffer);
    QString outcome = QStringLiteral("rejected");
    QLatin1String reason;
    switch (result.verdict) {
    case WebhookVerdict::Verified:
        ++m_stats.verified;
        outcome = QStringLiteral("verified");
        break;
    case WebhookVerdict::Duplicate:
        ++m_stats.duplicate;
        outcome = QStringLiteral("duplicate");
        break;
    case WebhookVerdict::MissingHeader:
        ++m_stats.missingHeader;
        reason = WebhookRejection::MissingHeader;
        break;
    case WebhookVerdict::BadSignature:
        ++m_stats.badSignature;
        reason = WebhookRejection::BadSignature;
        break;
    case WebhookVerdict::StaleTimestamp:
        ++m_stats.staleTimestamp;
        reason = WebhookRejection::StaleTimestamp;
        break;
    case WebhookVerdict::BadSecret:
        ++m_stats.badSecret;
        reason = WebhookRejection::NoSecret;
        break;
    }
    QByteArray body = std::move(connection.buffer);
    connection.buffer.clear();
    respond(connection, webhookHttpStatus(result.verdict));
    reportHandled(outcome, QString(reason), connection.headers.id);
    if (result.verdict == WebhookVerdict::Verified) {
        // Queued: the answer is on its way before anyone starts working on the delivery.
        QMetaObject::invokeMethod(
            this,
            [this, id = connection.headers.id, body = std::move(body)] {
                Q_EMIT deliveryReceived(id, body);
            },
            Qt::QueuedConnection);
    }
}

void WebhookReceiver::respond(Connection &connection, int status, const QByteArray &extraHeaders)
{
    connection.phase = Connection::Phase::Answered;
    connection.timer->start(kLingerAfterAnswer); // then abort() if the client never closes
    connection.socket->write(responseBytes(status, extraHeaders));
    connection.socket->flush();
    connection.socket->disconnectFromHost();
    QMetaObject::invokeMethod(
        this, [this, status] { Q_EMIT answered(status); }, Qt::QueuedConnection);
}

void WebhookReceiver::onTimeout(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    if (it->second->phase == Connection::Phase::Answered) {
        socket->abort(); // emits disconnected() → drop()
        return;
    }
    ++m_stats.timedOut;
    reject(*it->second, 408, WebhookRejection::TimedOut);
}

void WebhookReceiver::reject(Connection &connection, int status, QLatin1String reason,
                             const QByteArray &extraHeaders)
{
    respond(connection, status, extraHeaders);
    reportHandled(QStringLiteral("rejected"), QString(reason), connection.headers.id);
}

void WebhookReceiver::reportHandled(const QString &outcome, const QString &reason,
                                    const QByteArray &id)
{
    // Queued like answered(): the answer is on its way before anyone records it.
    QMetaObject::invokeMethod(
        this, [this, outcome, reason, id] { Q_EMIT requestHandled(outcome, reason, id); },
        Qt::QueuedConnection);
}

void WebhookReceiver::drop(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    m_connections.erase(it);
    socket->disconnect(this);
    socket->deleteLater();
}

} // namespace brieflow

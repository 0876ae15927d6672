// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <memory>
#include <unordered_map>

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QUrl>

#include "core/util/result.h"
#include "core/webhooks/webhookverifier.h"

class QTcpServer;
class QTcpSocket;

namespace brieflow {

/** Where and how a WebhookReceiver listens. */
struct WebhookReceiverOptions {
    /** Loopback by default: exposing it (a tunnel, a team server) is the user's choice. */
    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    /** 0 lets the system pick a free port; read it back with WebhookReceiver::port(). */
    quint16 port = 0;
    /** The only path that is served (a query string after it is ignored); others get 404. */
    QString path = QStringLiteral("/webhooks/replicate");
    /** A larger Content-Length is refused with 413 before any of the body is read. */
    qint64 maxBodyBytes = 1024 * 1024;
    /** Request line and headers together; more is refused with 431. */
    qint64 maxHeaderBytes = 16 * 1024;
    /** The whole request must have arrived by then, however steadily it trickles (slowloris). */
    std::chrono::milliseconds requestTimeout{10000};
    /** Connections open at once; one more is answered 503 and closed. */
    int maxConnections = 64;
};

/** What the receiver answered, by outcome, since it was made. For the monitoring view. */
struct WebhookReceiverStats {
    quint64 verified = 0;
    quint64 duplicate = 0;
    // Rejected by the verifier.
    quint64 missingHeader = 0;  ///< 400
    quint64 badSignature = 0;   ///< 401
    quint64 staleTimestamp = 0; ///< 401
    quint64 badSecret = 0;      ///< 503
    // Rejected before verification.
    quint64 notFound = 0;           ///< 404: another path
    quint64 methodNotAllowed = 0;   ///< 405: not POST
    quint64 lengthRequired = 0;     ///< 411: no Content-Length (chunked included)
    quint64 payloadTooLarge = 0;    ///< 413: Content-Length above the cap
    quint64 headersTooLarge = 0;    ///< 431: header block above the cap
    quint64 malformed = 0;          ///< 400: not parseable HTTP/1.x
    quint64 timedOut = 0;           ///< 408: not complete within requestTimeout
    quint64 tooManyConnections = 0; ///< 503: over maxConnections

    quint64 accepted() const { return verified + duplicate; }
    quint64 rejected() const
    {
        return missingHeader + badSignature + staleTimestamp + badSecret + notFound
               + methodNotAllowed + lengthRequired + payloadTooLarge + headersTooLarge + malformed
               + timedOut + tooManyConnections;
    }
};

/** Why the receiver refused a request: the reason words of WebhookReceiver::requestHandled()
 *  (and of the webhook_deliveries records). */
namespace WebhookRejection {
inline constexpr QLatin1String MissingHeader{"missing_header"};   ///< 400
inline constexpr QLatin1String BadSignature{"bad_signature"};     ///< 401
inline constexpr QLatin1String StaleTimestamp{"stale_timestamp"}; ///< 401
inline constexpr QLatin1String NoSecret{"no_secret"};             ///< 503: no usable secret yet
inline constexpr QLatin1String NotFound{"not_found"};             ///< 404: another path
inline constexpr QLatin1String MethodNotAllowed{"method_not_allowed"}; ///< 405
inline constexpr QLatin1String LengthRequired{"length_required"};      ///< 411
inline constexpr QLatin1String TooLarge{"too_large"};                  ///< 413
inline constexpr QLatin1String HeadersTooLarge{"headers_too_large"};   ///< 431
inline constexpr QLatin1String Malformed{"malformed"};                 ///< 400
inline constexpr QLatin1String TimedOut{"timed_out"};                  ///< 408
inline constexpr QLatin1String TooManyConnections{"too_many_connections"}; ///< 503
/// Authentic, but the body is no prediction (WebhookService; answered 204).
inline constexpr QLatin1String NotAPrediction{"not_a_prediction"};
} // namespace WebhookRejection

/**
 * A minimal HTTP/1.1 server for Replicate's webhook deliveries, on QTcpServer (QtHttpServer 6.4
 * buffers any body without a limit). One request per connection, always answered with
 * `Connection: close`:
 *   - request line and headers up to maxHeaderBytes (431 past it), CRLF line ends;
 *   - 404 for another path, 405 (with Allow: POST) for another method;
 *   - Content-Length required: Transfer-Encoding (chunked) is 411 Length Required, since the
 *     size must be known to refuse an oversized body before reading it (RFC 9110 §15.5.12);
 *     Transfer-Encoding together with Content-Length is 400 (RFC 9112 §6.3, smuggling);
 *   - a Content-Length above maxBodyBytes is 413 at once, before any body byte is read;
 *     `Expect: 100-continue` is honoured only once the length is accepted;
 *   - the body, exactly Content-Length bytes, goes to the WebhookVerifier as received;
 *   - a request not complete within requestTimeout gets 408 and the connection is closed.
 * The answer is written first; only then, from the event loop, deliveryReceived() is emitted for
 * a Verified delivery (never for a Duplicate), so slow work never delays the 2xx.
 *
 * Lives on one thread (its own); the clock must outlive it.
 */
class WebhookReceiver final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebhookReceiver)

public:
    WebhookReceiver(const QString &secret, const ProviderClock &clock,
                    WebhookReceiverOptions options = {},
                    WebhookVerifierOptions verifierOptions = {}, QObject *parent = nullptr);
    ~WebhookReceiver() override;

    /** Starts listening on the configured address and port, or says why it cannot. */
    Result<void, QString> listen();
    /** Stops listening and drops every open connection unanswered. */
    void close();
    bool isListening() const;
    /** The port actually bound (useful with port 0); 0 when not listening. */
    quint16 port() const;
    /** http://address:port/path, for tests and the "local URL" hint. */
    QUrl localUrl() const;

    /** Replaces the signing secret (e.g. refreshed from the API after a failure). */
    Result<void, QString> setSecret(const QString &secret);
    WebhookVerifier &verifier() { return m_verifier; }

    WebhookReceiverStats stats() const { return m_stats; }
    const WebhookReceiverOptions &options() const { return m_options; }
    int openConnections() const { return int(m_connections.size()); }

Q_SIGNALS:
    /** A verified, new delivery: its webhook-id and the raw body exactly as received. */
    void deliveryReceived(const QByteArray &webhookId, const QByteArray &body);
    /** Any request was answered (status for logs and tests); after the bytes were written. */
    void answered(int status);
    /**
     * What became of one request, after its answer was written: @p outcome "verified",
     * "duplicate" or "rejected" (then @p reason is a WebhookRejection word), and the
     * webhook-id header as sent (empty when there was none or the head wasn't read).
     */
    void requestHandled(const QString &outcome, const QString &reason,
                        const QByteArray &webhookId);

private:
    struct Connection;

    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void onTimeout(QTcpSocket *socket);
    void processHead(Connection &connection, const QByteArray &head);
    void processBody(Connection &connection);
    void respond(Connection &connection, int status, const QByteArray &extraHeaders = {});
    /** Answers a refused request and reports it (requestHandled) with @p reason. */
    void reject(Connection &connection, int status, QLatin1String reason,
                const QByteArray &extraHeaders = {});
    void reportHandled(const QString &outcome, const QString &reason, const QByteArray &id);
    void drop(QTcpSocket *socket);

    WebhookVerifier m_verifier;
    WebhookReceiverOptions m_options;
    QTcpServer *m_server = nullptr;
    std::unordered_map<QTcpSocket *, std::unique_ptr<Connection>> m_connections;
    WebhookReceiverStats m_stats;
};

} // namespace brieflow

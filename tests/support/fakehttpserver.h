// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QTcpServer>
#include <QUrl>
#include <QUrlQuery>

class QTcpSocket;

namespace brieflow::test {

/**
 * A tiny scriptable HTTP/1.1 server on 127.0.0.1 for client tests. Answers come from a FIFO of
 * scripted responses, then from a handler, then a 500. A response can be delayed, or replaced by
 * a TCP reset once the request was read (or after half of its body was sent). Every request is
 * recorded; the peak number of requests being handled at once is counted. Keep-alive works, so
 * QNAM reuses connections as it would against a real server.
 * "{{base}}" in a body becomes http://127.0.0.1:<port>, for page links.
 */
class FakeHttpServer final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FakeHttpServer)

public:
    struct Request {
        QByteArray method;
        QByteArray target; ///< path and query as sent, e.g. "/v1/predictions?cursor=x"
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;

        /** The first header named @p name (case-insensitive), or a null QByteArray. */
        QByteArray header(const QByteArray &name) const;
        bool hasHeader(const QByteArray &name) const { return !header(name).isNull(); }
        QString path() const;
        QUrlQuery query() const;
    };

    struct Response {
        enum class Fault { None, ResetAfterRequest, ResetMidBody };

        int status = 200;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        int delayMs = 0;
        Fault fault = Fault::None;

        static Response json(int status, const QByteArray &body);
        /** @p path's bytes (a file under tests/data); an empty 500 if it cannot be read. */
        static Response file(int status, const QString &path);
        static Response reset();

        Response &header(const QByteArray &name, const QByteArray &value);
        Response &delay(int ms);
        Response &withFault(Fault f);
    };
    using Handler = std::function<Response(const Request &)>;

    explicit FakeHttpServer(QObject *parent = nullptr);
    ~FakeHttpServer() override;

    /** Listens on 127.0.0.1:@p port (0 = any free port). */
    bool listen(quint16 port = 0);
    /** Stops listening and drops every connection. */
    void close();
    quint16 port() const { return m_port; }
    /** http://127.0.0.1:<port> */
    QUrl origin() const;
    /** http://127.0.0.1:<port>/v1, the client's base URL. */
    QUrl baseUrl() const;

    void enqueue(const Response &response);
    void setHandler(Handler handler) { m_handler = std::move(handler); }

    const QList<Request> &requests() const { return m_requests; }
    int requestCount() const { return static_cast<int>(m_requests.size()); }
    /** Requests read but not yet answered, now and at most. */
    int concurrent() const { return m_concurrent; }
    int peakConcurrent() const { return m_peakConcurrent; }

    /** A free TCP port on 127.0.0.1 that nothing listens on (until someone does). */
    static quint16 unusedPort();

Q_SIGNALS:
    void requestReceived();

private:
    struct Connection {
        QByteArray buffer;
        bool busy = false; ///< a request is being answered
    };

    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void processBuffer(QTcpSocket *socket);
    void respond(QTcpSocket *socket, const Response &response);
    void finishRequest(QTcpSocket *socket);
    static void resetConnection(QTcpSocket *socket);

    QTcpServer m_server;
    quint16 m_port = 0;
    QHash<QTcpSocket *, Connection> m_connections;
    QList<Response> m_script;
    Handler m_handler;
    QList<Request> m_requests;
    int m_concurrent = 0;
    int m_peakConcurrent = 0;
};

} // namespace brieflow::test

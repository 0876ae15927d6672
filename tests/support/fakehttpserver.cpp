// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fakehttpserver.h"

#include <QFile>
#include <QTcpSocket>
#include <QTimer>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace brieflow::test {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 307:
        return "Temporary Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 402:
        return "Payment Required";
    case 404:
        return "Not Found";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

} // namespace

QByteArray FakeHttpServer::Request::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QString FakeHttpServer::Request::path() const
{
    const qsizetype question = target.indexOf('?');
    return QString::fromLatin1(question < 0 ? target : target.left(question));
}

QUrlQuery FakeHttpServer::Request::query() const
{
    const qsizetype question = target.indexOf('?');
    return question < 0 ? QUrlQuery() : QUrlQuery(QString::fromLatin1(target.mid(question + 1)));
}

FakeHttpServer::Response FakeHttpServer::Response::json(int status, const QByteArray &body)
{
    Response response;
    response.status = status;
    response.body = body;
    response.header("Content-Type",
                    QByteArray(status >= 400 ? "application/problem+json" : "application/json"));
    return response;
}

FakeHttpServer::Response FakeHttpServer::Response::file(int status, const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("FakeHttpServer: cannot read %s", qPrintable(path));
        return json(500, {});
    }
    return json(status, file.readAll());
}

FakeHttpServer::Response FakeHttpServer::Response::reset()
{
    Response response;
    response.fault = Fault::ResetAfterRequest;
    return response;
}

FakeHttpServer::Response &FakeHttpServer::Response::header(const QByteArray &name,
                                                           const QByteArray &value)
{
    headers.append(qMakePair(name, value));
    return *this;
}

FakeHttpServer::Response &FakeHttpServer::Response::delay(int ms)
{
    delayMs = ms;
    return *this;
}

FakeHttpServer::Response &FakeHttpServer::Response::withFault(Fault f)
{
    fault = f;
    return *this;
}

FakeHttpServer::FakeHttpServer(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &FakeHttpServer::onNewConnection);
}

FakeHttpServer::~FakeHttpServer()
{
    close();
}

bool FakeHttpServer::listen(quint16 port)
{
    if (!m_server.listen(QHostAddress::LocalHost, port))
        return false;
    m_port = m_server.serverPort();
    return true;
}

void FakeHttpServer::close()
{
    m_server.close();
    const QList<QTcpSocket *> sockets = m_connections.keys();
    m_connections.clear();
    for (QTcpSocket *socket : sockets) {
        disconnect(socket, nullptr, this, nullptr);
        socket->abort();
        socket->deleteLater();
    }
    m_concurrent = 0;
}

QUrl FakeHttpServer::origin() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
}

QUrl FakeHttpServer::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(m_port));
}

void FakeHttpServer::enqueue(const Response &response)
{
    m_script.append(response);
}

quint16 FakeHttpServer::unusedPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

void FakeHttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        m_connections.insert(socket, Connection{});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            const auto it = m_connections.find(socket);
            if (it != m_connections.end()) {
                if (it->busy)
                    --m_concurrent;
                m_connections.erase(it);
            }
            socket->deleteLater();
        });
    }
}

void FakeHttpServer::onReadyRead(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    it->buffer += socket->readAll();
    processBuffer(socket);
}

void FakeHttpServer::processBuffer(QTcpSocket *socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end() || it->busy)
        return;
    const qsizetype headerEnd = it->buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return;
    const QList<QByteArray> lines = it->buffer.left(headerEnd).split('\n');
    Request request;
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    request.method = requestLine.value(0);
    request.target = requestLine.value(1);
    qsizetype contentLength = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed();
        const QByteArray value = line.mid(colon + 1).trimmed();
        request.headers.append(qMakePair(name, value));
        if (name.compare("content-length", Qt::CaseInsensitive) == 0)
            contentLength = value.toLongLong();
    }
    const qsizetype total = headerEnd + 4 + contentLength;
    if (it->buffer.size() < total)
        return;
    request.body = it->buffer.mid(headerEnd + 4, contentLength);
    it->buffer.remove(0, total);
    it->busy = true;
    m_peakConcurrent = std::max(m_peakConcurrent, ++m_concurrent);

    m_requests.append(request);
    Response response;
    if (!m_script.isEmpty())
        response = m_script.takeFirst();
    else if (m_handler)
        response = m_handler(request);
    else
        response = Response::json(500, R"({"detail":"FakeHttpServer: nothing scripted"})");
    response.body.replace("{{base}}", origin().toString().toUtf8());
    Q_EMIT requestReceived();

    if (response.fault == Response::Fault::ResetAfterRequest) {
        finishRequest(socket);
        resetConnection(socket);
        return;
    }
    if (response.delayMs > 0) {
        QTimer::singleShot(response.delayMs, socket,
                           [this, socket, response] { respond(socket, response); });
        return;
    }
    respond(socket, response);
}

void FakeHttpServer::respond(QTcpSocket *socket, const Response &response)
{
    if (!m_connections.contains(socket))
        return;
    QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + ' '
                      + reasonPhrase(response.status) + "\r\n";
    for (const auto &[name, value] : response.headers)
        head += name + ": " + value + "\r\n";
    head += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n\r\n";
    if (response.fault == Response::Fault::ResetMidBody) {
        socket->write(head + response.body.left(response.body.size() / 2));
        socket->flush();
        finishRequest(socket);
        resetConnection(socket);
        return;
    }
    socket->write(head + response.body);
    finishRequest(socket);
    processBuffer(socket); // a request that arrived meanwhile on this connection
}

void FakeHttpServer::finishRequest(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end() || !it->busy)
        return;
    it->busy = false;
    --m_concurrent;
}

void FakeHttpServer::resetConnection(QTcpSocket *socket)
{
#ifdef Q_OS_UNIX
    // SO_LINGER 0: close() sends a RST instead of a FIN, like a dropped connection.
    const qintptr fd = socket->socketDescriptor();
    if (fd >= 0) {
        const linger noLinger{1, 0};
        ::setsockopt(static_cast<int>(fd), SOL_SOCKET, SO_LINGER, &noLinger, sizeof noLinger);
    }
#endif
    socket->abort();
}

} // namespace brieflow::test

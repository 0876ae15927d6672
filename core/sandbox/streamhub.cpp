// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "streamhub.h"

#include <QTcpSocket>

#include "core/sandbox/predictionengine.h"

namespace brieflow::sandbox {

StreamHub::StreamHub(PredictionEngine *engine, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
{
    connect(engine, &PredictionEngine::outputAppended, this,
            [this](const QString &id, const QStringList &items) {
                for (const auto &s : std::as_const(m_streams)) {
                    if (s->predictionId != id)
                        continue;
                    for (const QString &item : items)
                        write(*s, "output", item);
                }
            });
    connect(engine, &PredictionEngine::logsAppended, this,
            [this](const QString &id, const QString &text) {
                for (const auto &s : std::as_const(m_streams)) {
                    if (s->predictionId == id)
                        write(*s, "logs",
                              text.endsWith(QLatin1Char('\n')) ? text.chopped(1) : text);
                }
            });
    connect(engine, &PredictionEngine::completed, this, [this](const QString &id) {
        const Prediction *p = m_engine->find(id);
        const auto streams = m_streams; // finish() removes from m_streams
        for (const auto &s : streams) {
            if (s->predictionId == id && p)
                finish(s, *p);
        }
    });
}

StreamHub::~StreamHub()
{
    const auto streams = m_streams;
    for (const auto &s : streams)
        close(s);
}

QByteArray StreamHub::frame(const QByteArray &event, const QByteArray &id, const QString &data)
{
    QByteArray out = "event: " + event + "\nid: " + id + '\n';
    const QStringList lines = data.split(QLatin1Char('\n'));
    for (const QString &line : lines)
        out += "data: " + line.toUtf8() + '\n';
    out += '\n';
    return out;
}

void StreamHub::open(QTcpSocket *socket, const Prediction &prediction,
                     std::function<void()> onClosed)
{
    auto stream = std::make_shared<Stream>();
    stream->socket = socket;
    stream->predictionId = prediction.id;
    stream->idSeconds = prediction.createdNs / (1000LL * 1000 * 1000);
    stream->onClosed = std::move(onClosed);
    m_streams.append(stream);

    socket->write("HTTP/1.1 200 OK\r\n"
                  "Content-Type: text/event-stream\r\n"
                  "Cache-Control: no-cache\r\n"
                  "Connection: close\r\n"
                  "\r\n"
                  "\n: hi\n\n");
    std::weak_ptr<Stream> weak = stream;
    connect(socket, &QTcpSocket::disconnected, this, [this, weak] {
        if (auto s = weak.lock())
            close(s);
    });
    for (const QString &token : prediction.output)
        write(*stream, "output", token);
    if (isTerminal(prediction.status))
        finish(stream, prediction);
}

void StreamHub::write(Stream &stream, const QByteArray &event, const QString &data)
{
    if (!stream.socket)
        return;
    const QByteArray id =
        QByteArray::number(stream.idSeconds) + ':' + QByteArray::number(stream.nextEvent++);
    stream.socket->write(frame(event, id, data));
}

void StreamHub::finish(const std::shared_ptr<Stream> &stream, const Prediction &prediction)
{
    switch (prediction.status) {
    case Status::Failed:
        write(*stream, "error", prediction.error);
        write(*stream, "done", QStringLiteral("{\"reason\":\"error\"}"));
        break;
    case Status::Canceled:
    case Status::Aborted:
        write(*stream, "done", QStringLiteral("{\"reason\":\"canceled\"}"));
        break;
    default:
        write(*stream, "done", QStringLiteral("{}"));
        break;
    }
    if (QTcpSocket *socket = stream->socket.data()) // one read of the guarded pointer
        socket->disconnectFromHost();
    close(stream);
}

void StreamHub::close(const std::shared_ptr<Stream> &stream)
{
    if (!m_streams.removeOne(stream))
        return;
    if (stream->onClosed)
        stream->onClosed();
}

} // namespace brieflow::sandbox

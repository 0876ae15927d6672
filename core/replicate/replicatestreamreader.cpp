// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/replicate/replicatestreamreader.h"

namespace brieflow {

namespace {
constexpr qint64 ReadChunk = 64 * 1024;
} // namespace

ReplicateStreamReader::ReplicateStreamReader(QNetworkReply *reply, QObject *parent)
    : ReplicateStreamReader(reply, ReplicateStreamDecoder::Options{}, parent)
{}

ReplicateStreamReader::ReplicateStreamReader(QNetworkReply *reply,
                                             ReplicateStreamDecoder::Options options,
                                             QObject *parent)
    : QObject(parent)
    , m_reply(reply)
    , m_decoder(options)
{
    Q_ASSERT(reply);
    connect(reply, &QIODevice::readyRead, this, &ReplicateStreamReader::readAvailable);
    connect(reply, &QNetworkReply::finished, this, &ReplicateStreamReader::onReplyFinished);
    if (reply->isFinished())
        QMetaObject::invokeMethod(this, &ReplicateStreamReader::onReplyFinished,
                                  Qt::QueuedConnection);
}

void ReplicateStreamReader::abort()
{
    if (m_finished)
        return;
    // One read of the guarded pointer (GCC -O2 can't tell two reads give the same answer).
    if (QNetworkReply *reply = m_reply.data(); reply && !reply->isFinished()) {
        disconnect(reply, nullptr, this, nullptr);
        reply->abort();
    }
    m_networkError = QNetworkReply::OperationCanceledError;
    m_finished = true;
    m_decoder.finish();
    Q_EMIT finished();
}

void ReplicateStreamReader::readAvailable()
{
    if (m_finished || !m_reply)
        return;
    if (m_httpStatus == 0) {
        const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        m_httpStatus = status.isValid() ? status.toInt() : 0;
    }
    if (m_httpStatus != 0 && m_httpStatus != 200) {
        // An error page, not a stream: don't feed it to the decoder.
        m_reply->readAll();
        return;
    }
    QList<ReplicateStreamItem> items;
    while (!m_decoder.isFinished() && m_reply->bytesAvailable() > 0)
        items += m_decoder.feed(m_reply->read(ReadChunk));
    if (!items.isEmpty())
        Q_EMIT itemsReceived(items);
    if (m_decoder.isFinished())
        complete();
}

void ReplicateStreamReader::onReplyFinished()
{
    if (m_finished || !m_reply)
        return;
    readAvailable();
    if (m_finished)
        return;
    if (m_httpStatus == 0) {
        const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        m_httpStatus = status.isValid() ? status.toInt() : 0;
    }
    m_networkError = m_reply->error();
    m_decoder.finish();
    complete();
}

void ReplicateStreamReader::complete()
{
    if (m_finished)
        return;
    m_finished = true;
    m_decoder.finish(); // no-op for a final state; closes the parser either way
    QNetworkReply *reply = m_reply.data();
    if (reply && !reply->isFinished()) {
        // A final event arrived: stop reading instead of waiting for the server to close.
        disconnect(reply, nullptr, this, nullptr);
        reply->abort();
        m_networkError = QNetworkReply::OperationCanceledError;
    } else if (reply && m_networkError == QNetworkReply::NoError) {
        m_networkError = reply->error();
    }
    Q_EMIT finished();
}

} // namespace brieflow

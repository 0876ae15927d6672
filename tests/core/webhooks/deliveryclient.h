// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTest>
#include <QUrl>

#include "core/sandbox/webhooksigner.h"

namespace brieflow::test {

/** One hand-made webhook delivery: the three Standard Webhooks headers and the body. */
struct Delivery {
    QString id;
    qint64 timestamp = QDateTime::currentSecsSinceEpoch();
    QByteArray body;
    QString signature; ///< empty: signed with the secret given to post()
};

/**
 * Posts hand-made deliveries to a receiver over loopback, the way a sender would, and returns
 * the HTTP status (0: no answer). Signs with the sandbox's signer unless the delivery carries
 * its own signature (a forged one).
 */
class DeliveryClient {
public:
    explicit DeliveryClient(QUrl url)
        : m_url(std::move(url))
    {}

    int post(const Delivery &delivery, const QString &secret)
    {
        QNetworkRequest request(m_url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        request.setRawHeader("webhook-id", delivery.id.toLatin1());
        request.setRawHeader("webhook-timestamp", QByteArray::number(delivery.timestamp));
        const QString signature =
            delivery.signature.isEmpty()
                ? sandbox::signWebhook(secret, delivery.id, delivery.timestamp, delivery.body)
                : delivery.signature;
        request.setRawHeader("webhook-signature", signature.toLatin1());
        QNetworkReply *reply = m_network.post(request, delivery.body);
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10'000))
            reply->abort();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        return status;
    }

private:
    QUrl m_url;
    QNetworkAccessManager m_network;
};

} // namespace brieflow::test

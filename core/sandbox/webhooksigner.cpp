// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "webhooksigner.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

namespace brieflow::sandbox {

QString signWebhook(const QString &secret, const QString &messageId, qint64 timestamp,
                    const QByteArray &body)
{
    QString encoded = secret;
    if (encoded.startsWith(QLatin1String("whsec_")))
        encoded = encoded.mid(6);
    const QByteArray key = QByteArray::fromBase64(encoded.toLatin1());
    const QByteArray content =
        messageId.toUtf8() + '.' + QByteArray::number(timestamp) + '.' + body;
    const QByteArray mac =
        QMessageAuthenticationCode::hash(content, key, QCryptographicHash::Sha256);
    return QStringLiteral("v1,") + QString::fromLatin1(mac.toBase64());
}

QString makeWebhookSecret(quint64 seed)
{
    QRandomGenerator rng(static_cast<quint32>((seed * 2654435761ULL) ^ (seed >> 32) ^ 0x3ebf00c));
    QByteArray key(24, Qt::Uninitialized);
    for (char &c : key)
        c = static_cast<char>(rng.bounded(256));
    return QStringLiteral("whsec_") + QString::fromLatin1(key.toBase64());
}

} // namespace brieflow::sandbox

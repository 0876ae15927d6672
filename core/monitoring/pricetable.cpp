// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "pricetable.h"

#include <algorithm>
#include <cmath>

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace brieflow {

namespace {

bool isPrice(double value)
{
    return std::isfinite(value) && value >= 0;
}

/** "owner/name" of "owner/name" or "owner/name:version". */
QString baseModel(const QString &model)
{
    const qsizetype colon = model.indexOf(QLatin1Char(':'));
    return (colon < 0 ? model : model.left(colon)).trimmed();
}

QString tr(const char *text)
{
    return QCoreApplication::translate("PriceTable", text);
}

} // namespace

PriceTable PriceTable::defaults()
{
    PriceTable table;
    // Replicate prices this model per token ($0.25 per million output tokens); at the ~100
    // tokens a second it generates that is about $0.000025 a second of predict_time.
    table.setPrice(QStringLiteral("meta/meta-llama-3-8b-instruct"), 0.000025);
    // $0.003 per image, and one image takes about a second of predict_time.
    table.setPrice(QStringLiteral("black-forest-labs/flux-schnell"), 0.003);
    // Anything else: Replicate's price for an Nvidia A100 (80 GB), $0.0014 a second.
    table.m_fallback = 0.0014;
    return table;
}

std::optional<PriceTable> PriceTable::fromJson(const QByteArray &json, QString *error)
{
    auto refuse = [error](const QString &why) -> std::optional<PriceTable> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return refuse(tr("The price table is not a JSON object."));
    const QJsonObject root = document.object();
    PriceTable table;
    const QJsonValue fallback = root.value(QStringLiteral("fallback_usd_per_second"));
    if (!fallback.isDouble() || !table.setFallbackPerSecond(fallback.toDouble()))
        return refuse(tr("The price table has no valid fallback price."));
    const QJsonValue models = root.value(QStringLiteral("models"));
    if (!models.isUndefined() && !models.isObject())
        return refuse(tr("The price table's models are not a JSON object."));
    const QJsonObject prices = models.toObject();
    for (auto it = prices.begin(); it != prices.end(); ++it) {
        if (baseModel(it.key()).isEmpty() || !it.value().isDouble()
            || !table.setPrice(it.key(), it.value().toDouble())) {
            return refuse(
                tr("The price of %1 is not a number of dollars of zero or more.").arg(it.key()));
        }
    }
    return table;
}

QByteArray PriceTable::toJson() const
{
    QJsonObject models;
    for (const Entry &entry : m_entries)
        models.insert(entry.model, entry.usdPerSecond);
    QJsonObject root;
    root.insert(QStringLiteral("fallback_usd_per_second"), m_fallback);
    root.insert(QStringLiteral("models"), models);
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

double PriceTable::usdPerSecond(const QString &model) const
{
    const QString base = baseModel(model);
    for (const Entry &entry : m_entries) {
        if (entry.model == base)
            return entry.usdPerSecond;
    }
    return m_fallback;
}

bool PriceTable::setPrice(const QString &model, double usdPerSecond)
{
    const QString base = baseModel(model);
    if (base.isEmpty() || !isPrice(usdPerSecond))
        return false;
    auto it = std::lower_bound(m_entries.begin(), m_entries.end(), base,
                               [](const Entry &e, const QString &m) { return e.model < m; });
    if (it != m_entries.end() && it->model == base)
        it->usdPerSecond = usdPerSecond;
    else
        m_entries.insert(it, Entry{base, usdPerSecond});
    return true;
}

void PriceTable::removePrice(const QString &model)
{
    const QString base = baseModel(model);
    m_entries.removeIf([&](const Entry &e) { return e.model == base; });
}

bool PriceTable::setFallbackPerSecond(double usdPerSecond)
{
    if (!isPrice(usdPerSecond))
        return false;
    m_fallback = usdPerSecond;
    return true;
}

QString formatUsd(double usd)
{
    if (!std::isfinite(usd))
        return QStringLiteral("$?");
    const double magnitude = std::abs(usd);
    int decimals = 2;
    if (magnitude > 0 && magnitude < 0.1) // two significant digits, at most 8 decimals
        decimals = std::min(8, 1 - static_cast<int>(std::floor(std::log10(magnitude))));
    const QString number = QString::number(magnitude, 'f', decimals);
    return (usd < 0 ? QStringLiteral("-$") : QStringLiteral("$")) + number;
}

} // namespace brieflow

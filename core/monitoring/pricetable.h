// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QByteArray>
#include <QList>
#include <QString>

namespace brieflow {

/**
 * What a second of a model's `predict_time` costs, in US dollars: the cost figures are
 * predict_time × this price. Replicate bills by hardware time for most models (and by token or
 * image for some official ones), so the defaults are approximations from its published hardware
 * prices; the user edits them in Settings. A model not in the table costs fallbackPerSecond.
 */
class PriceTable {
public:
    struct Entry {
        QString model; ///< "owner/name" (any version)
        double usdPerSecond = 0;
        friend bool operator==(const Entry &, const Entry &) = default;
    };

    /** The product's defaults: the default models' usual hardware and an A100 fallback. */
    static PriceTable defaults();
    /** Parses toJson()'s form; nullopt (and @p error) for anything else. */
    static std::optional<PriceTable> fromJson(const QByteArray &json, QString *error = nullptr);
    /** {"fallback_usd_per_second": x, "models": {"owner/name": y, …}} */
    QByteArray toJson() const;

    /** The price of @p model ("owner/name" or "owner/name:version"). */
    double usdPerSecond(const QString &model) const;
    /** The entries, sorted by model. */
    const QList<Entry> &entries() const { return m_entries; }
    /** Sets (or adds) @p model's price; a negative or non-finite price is refused (false). */
    bool setPrice(const QString &model, double usdPerSecond);
    void removePrice(const QString &model);
    double fallbackPerSecond() const { return m_fallback; }
    bool setFallbackPerSecond(double usdPerSecond);

    friend bool operator==(const PriceTable &, const PriceTable &) = default;

private:
    QList<Entry> m_entries;
    double m_fallback = 0;
};

/** "$1.23", "$0.0042" (small amounts keep two significant digits), "$0.00" for zero. */
QString formatUsd(double usd);

} // namespace brieflow

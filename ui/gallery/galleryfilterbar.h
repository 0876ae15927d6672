// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QWidget>

#include "core/store/records.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QTimer;
class QToolButton;

namespace brieflow::ui {

/**
 * The gallery's filters in one row: search text (applied searchDelayMs after the last key),
 * product, model, date (Any time / Today / Last 7 days / Last 30 days), job status and
 * "Starred only"; then "N images" and "Clear filters" (shown only while a filter is set).
 *
 * API: query() — the filters as a GalleryQuery (limit and offset untouched);
 *      signal queryChanged(GalleryQuery) — a filter changed (text: after the delay);
 *      setProducts()/setModels() — the choices (JobStore::galleryProducts(), galleryModels()),
 *      keeping the current choice; setCount(int) — the number shown; clear(); focusSearch().
 */
class GalleryFilterBar final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GalleryFilterBar)

public:
    static constexpr int searchDelayMs = 250;
    enum class DateRange { AnyTime, Today, Last7Days, Last30Days };

    explicit GalleryFilterBar(QWidget *parent = nullptr);
    ~GalleryFilterBar() override;

    /** The filters as they are now; the date range is resolved against @p now. */
    GalleryQuery query(const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
    bool isFiltered() const;

    void setProducts(const QStringList &products);
    void setModels(const QStringList &models);
    void setCount(int images);

    QLineEdit *searchField() const { return m_search; }
    QComboBox *productFilter() const { return m_product; }
    QComboBox *modelFilter() const { return m_model; }
    QComboBox *dateFilter() const { return m_date; }
    QComboBox *statusFilter() const { return m_status; }
    QToolButton *starredButton() const { return m_starred; }
    QToolButton *clearButton() const { return m_clear; }
    QLabel *countLabel() const { return m_count; }

    /** The start of @p range before @p now (UTC); null for AnyTime. Today: local midnight. */
    static QDateTime rangeStart(DateRange range, const QDateTime &now);

public Q_SLOTS:
    /** Resets every filter (one queryChanged()). */
    void clear();
    void focusSearch();
    /** Applies a pending search text now. */
    void applyTextNow();

Q_SIGNALS:
    void queryChanged(const brieflow::GalleryQuery &query);

private:
    void changed();
    static void setChoices(QComboBox *box, const QString &all, const QStringList &choices);

    QLineEdit *m_search = nullptr;
    QComboBox *m_product = nullptr;
    QComboBox *m_model = nullptr;
    QComboBox *m_date = nullptr;
    QComboBox *m_status = nullptr;
    QToolButton *m_starred = nullptr;
    QToolButton *m_clear = nullptr;
    QLabel *m_count = nullptr;
    QTimer *m_searchDelay = nullptr;
    QString m_appliedText;
    bool m_clearing = false;
};

} // namespace brieflow::ui

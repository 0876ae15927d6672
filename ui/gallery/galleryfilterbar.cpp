// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "galleryfilterbar.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScopedValueRollback>
#include <QSignalBlocker>
#include <QTimer>
#include <QToolButton>

#include "ui/gallery/galleryicons.h"
#include "ui/queue/jobstatusstyle.h"

namespace brieflow::ui {

GalleryFilterBar::GalleryFilterBar(QWidget *parent)
    : QWidget(parent)
{
    setAccessibleName(tr("Gallery filters"));
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search briefs, concepts and prompts (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search the gallery"));
    m_search->setMinimumWidth(140);

    m_product = new QComboBox(this);
    m_product->setAccessibleName(tr("Show images of product"));
    // Narrow windows shorten long names rather than the grid.
    m_product->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_product->setMinimumContentsLength(12);
    setChoices(m_product, tr("All products"), {});
    m_model = new QComboBox(this);
    m_model->setAccessibleName(tr("Show images made by model"));
    m_model->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_model->setMinimumContentsLength(12);
    setChoices(m_model, tr("All models"), {});

    m_date = new QComboBox(this);
    m_date->setAccessibleName(tr("Show images made in"));
    m_date->addItem(tr("Any time"), static_cast<int>(DateRange::AnyTime));
    m_date->addItem(tr("Today"), static_cast<int>(DateRange::Today));
    m_date->addItem(tr("Last 7 days"), static_cast<int>(DateRange::Last7Days));
    m_date->addItem(tr("Last 30 days"), static_cast<int>(DateRange::Last30Days));

    m_status = new QComboBox(this);
    m_status->setAccessibleName(tr("Show images by job status"));
    m_status->addItem(tr("Any status"), -1);
    for (const JobStatus s : {JobStatus::Succeeded, JobStatus::Processing, JobStatus::Failed,
                              JobStatus::NeedsAttention, JobStatus::Canceled})
        m_status->addItem(statusIcon(s), statusWord(s), static_cast<int>(s));

    m_starred = new QToolButton(this);
    m_starred->setCheckable(true);
    m_starred->setText(tr("Starred only"));
    m_starred->setIcon(themedIcon(QStringLiteral("star")));
    m_starred->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_starred->setAccessibleName(tr("Show starred images only"));
    m_starred->setToolTip(tr("Show only the images you starred"));

    m_count = new QLabel(this);
    QPalette hint = m_count->palette();
    hint.setColor(QPalette::WindowText, hint.color(QPalette::PlaceholderText));
    m_count->setPalette(hint);
    m_clear = new QToolButton(this);
    m_clear->setText(tr("Clear filters"));
    m_clear->setAutoRaise(true);
    m_clear->setToolTip(tr("Show every image again"));
    m_clear->hide();

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);
    layout->addWidget(m_search, 1);
    layout->addWidget(m_product);
    layout->addWidget(m_model);
    layout->addWidget(m_date);
    layout->addWidget(m_status);
    layout->addWidget(m_starred);
    layout->addWidget(m_clear);
    layout->addWidget(m_count);

    m_searchDelay = new QTimer(this);
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(searchDelayMs);
    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchDelay, &QTimer::timeout, this, &GalleryFilterBar::applyTextNow);
    for (QComboBox *box : {m_product, m_model, m_date, m_status})
        connect(box, &QComboBox::currentIndexChanged, this, &GalleryFilterBar::changed);
    connect(m_starred, &QToolButton::toggled, this, [this](bool on) {
        m_starred->setIcon(themedIcon(on ? QStringLiteral("star-filled") : QStringLiteral("star")));
        changed();
    });
    connect(m_clear, &QToolButton::clicked, this, &GalleryFilterBar::clear);
    setCount(0);
}

GalleryFilterBar::~GalleryFilterBar() = default;

QDateTime GalleryFilterBar::rangeStart(DateRange range, const QDateTime &now)
{
    switch (range) {
    case DateRange::AnyTime:
        return {};
    case DateRange::Today:
        return now.toLocalTime().date().startOfDay().toUTC();
    case DateRange::Last7Days:
        return now.addDays(-7).toUTC();
    case DateRange::Last30Days:
        return now.addDays(-30).toUTC();
    }
    return {};
}

GalleryQuery GalleryFilterBar::query(const QDateTime &now) const
{
    GalleryQuery q;
    q.text = m_appliedText;
    q.product = m_product->currentData().toString();
    q.model = m_model->currentData().toString();
    q.from = rangeStart(static_cast<DateRange>(m_date->currentData().toInt()), now);
    const int status = m_status->currentData().toInt();
    if (status >= 0)
        q.status = static_cast<JobStatus>(status);
    q.starredOnly = m_starred->isChecked();
    return q;
}

bool GalleryFilterBar::isFiltered() const
{
    return !m_appliedText.isEmpty() || !m_search->text().trimmed().isEmpty()
           || m_product->currentIndex() > 0 || m_model->currentIndex() > 0
           || m_date->currentIndex() > 0 || m_status->currentIndex() > 0 || m_starred->isChecked();
}

void GalleryFilterBar::setChoices(QComboBox *box, const QString &all, const QStringList &choices)
{
    const QString current = box->currentData().toString();
    const QSignalBlocker block(box);
    box->clear();
    box->addItem(all, QString());
    for (const QString &choice : choices)
        box->addItem(choice, choice);
    // A choice that has no images any more stays chosen (its filter still applies) until the
    // user picks another.
    int index = current.isEmpty() ? 0 : box->findData(current);
    if (index < 0) {
        box->addItem(current, current);
        index = box->count() - 1;
    }
    box->setCurrentIndex(index);
}

void GalleryFilterBar::setProducts(const QStringList &products)
{
    setChoices(m_product, tr("All products"), products);
}

void GalleryFilterBar::setModels(const QStringList &models)
{
    setChoices(m_model, tr("All models"), models);
}

void GalleryFilterBar::setCount(int images)
{
    // Plurals spelled out: without a translator loaded, "%n image(s)" would show as written.
    m_count->setText(images == 1 ? tr("1 image") : tr("%1 images").arg(images));
}

void GalleryFilterBar::clear()
{
    {
        const QScopedValueRollback clearing(m_clearing, true);
        m_searchDelay->stop();
        m_search->clear();
        m_searchDelay->stop();
        m_appliedText.clear();
        for (QComboBox *box : {m_product, m_model, m_date, m_status})
            box->setCurrentIndex(0);
        m_starred->setChecked(false);
    }
    changed();
}

void GalleryFilterBar::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void GalleryFilterBar::applyTextNow()
{
    m_searchDelay->stop();
    const QString text = m_search->text().trimmed();
    if (text == m_appliedText)
        return;
    m_appliedText = text;
    changed();
}

void GalleryFilterBar::changed()
{
    if (m_clearing)
        return;
    m_clear->setVisible(isFiltered());
    Q_EMIT queryChanged(query());
}

} // namespace brieflow::ui

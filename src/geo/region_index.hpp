// Private: the quadtree behind make_indexed_matcher. Every cell is a closed box whose edges are
// exact multiples of the finest cell size, so "is this point in that cell" never rounds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <vector>

#include "exact_regions.hpp"

namespace meteo::geo_detail {

// What the index knows about a point without touching geometry.
struct IndexAnswer {
  enum class Kind { none, region, candidates } kind = Kind::none;
  std::uint32_t region = 0;                   // Kind::region
  const std::uint32_t* candidates = nullptr;  // Kind::candidates: in source order
  std::uint32_t candidate_count = 0;
};

class RegionIndex {
 public:
  // A candidate carrying this bit covers the whole cell: it needs no exact test.
  static constexpr std::uint32_t kCoversCell = 0x80000000u;

  // Classifies cells against every region's boundary down to max_depth levels below the root.
  static RegionIndex build(const ExactRegions& regions, int max_depth);
  // The index written by save(), or nothing when the stream does not hold one (or is damaged).
  static std::optional<RegionIndex> load(std::istream& in);
  void save(std::ostream& out) const;
  // Whether every word points inside the arrays, children after their parent (so a lookup
  // always ends) and every region ordinal is below region_count: a loaded file is checked
  // before it is believed.
  bool is_well_formed(std::size_t region_count) const;

  IndexAnswer lookup(double lon, double lat) const {
    if (!(lon >= origin_x_ && lon <= origin_x_ + size_ && lat >= origin_y_ &&
          lat <= origin_y_ + size_)) {
      return {};  // outside every region's envelope (NaN included)
    }
    const std::uint32_t column = cell_of(lon, origin_x_, top_cell_size_, top_scale_, top_cells_);
    const std::uint32_t row = cell_of(lat, origin_y_, top_cell_size_, top_scale_, top_cells_);
    const std::size_t top = std::size_t{row} * top_cells_ + column;
    std::uint32_t word = top_grid_[top];
    double cell_x = origin_x_ + column * top_cell_size_;
    double cell_y = origin_y_ + row * top_cell_size_;
    double half = top_cell_size_ / 2;
    if (tag(word) == kInternal && !blocks_.empty()) {
      // Skips the first kBlockLevels levels below the top cell with one more load.
      const double block_cell = top_cell_size_ / kBlockCells;
      const double block_scale = top_scale_ * kBlockCells;
      const std::uint32_t block_column = cell_of(lon, cell_x, block_cell, block_scale, kBlockCells);
      const std::uint32_t block_row = cell_of(lat, cell_y, block_cell, block_scale, kBlockCells);
      word = blocks_[top_blocks_[top] + block_row * kBlockCells + block_column];
      cell_x += block_column * block_cell;
      cell_y += block_row * block_cell;
      half = block_cell / 2;
    }
    while (tag(word) == kInternal) {
      // Children are stored south-west, south-east, north-west, north-east. A point on the
      // middle line is in both closed halves: either answer is right.
      const bool east = lon >= cell_x + half;
      const bool north = lat >= cell_y + half;
      cell_x += east ? half : 0;
      cell_y += north ? half : 0;
      half /= 2;
      word = nodes_[payload(word) + (east ? 1u : 0u) + (north ? 2u : 0u)];
    }
    return answer(word);
  }

  std::size_t memory_bytes() const;
  std::size_t node_count() const { return nodes_.size(); }
  std::size_t border_leaf_count() const { return border_leaves_; }
  int depth() const { return depth_; }

 private:
  static constexpr std::uint32_t kInternal = 0, kEmpty = 1, kRegion = 2, kBorder = 3;
  static constexpr std::uint32_t tag(std::uint32_t word) { return word >> 30; }
  static constexpr std::uint32_t payload(std::uint32_t word) { return word & 0x3fffffffu; }
  static constexpr std::uint32_t make_word(std::uint32_t tag, std::uint32_t payload) {
    return (tag << 30) | payload;
  }

  static constexpr int kBlockLevels = 3;
  static constexpr std::uint32_t kBlockCells = 1u << kBlockLevels;  // per side

  // The column (or row) of `cells` cells of `size` (a power of two, `scale` its inverse) from
  // `origin` holding the coordinate, corrected so the coordinate lies in its closed extent even
  // when the subtraction rounded.
  static std::uint32_t cell_of(double coordinate, double origin, double size, double scale,
                               std::uint32_t cells) {
    const double offset = (coordinate - origin) * scale;
    std::uint32_t cell = offset >= cells ? cells - 1 : static_cast<std::uint32_t>(offset);
    if (cell > 0 && coordinate < origin + cell * size) --cell;
    if (cell + 1 < cells && coordinate > origin + (cell + 1) * size) ++cell;
    return cell;
  }

  IndexAnswer answer(std::uint32_t word) const {
    switch (tag(word)) {
      case kRegion:
        return {IndexAnswer::Kind::region, payload(word), nullptr, 0};
      case kBorder: {
        const std::uint32_t* list = &candidates_[payload(word)];
        return {IndexAnswer::Kind::candidates, 0, list + 1, list[0]};
      }
      default:
        return {};
    }
  }

  friend class RegionIndexBuilder;

  double origin_x_ = 0, origin_y_ = 0, size_ = 0;  // the root square
  int top_level_ = 0;
  std::uint32_t top_cells_ = 1;               // per side: 2^top_level_
  double top_cell_size_ = 0, top_scale_ = 0;  // top_scale_ = 1 / top_cell_size_, exactly
  std::vector<std::uint32_t> top_grid_;       // the tree's words at top_level_, row-major
  // For each top cell whose word is internal, where its block starts in blocks_: the tree's
  // words kBlockLevels further down, row-major. Empty when the tree is not that deep.
  std::vector<std::uint32_t> top_blocks_;
  std::vector<std::uint32_t> blocks_;
  std::vector<std::uint32_t> nodes_;       // internal words point at four consecutive children
  std::vector<std::uint32_t> candidates_;  // per border leaf: count, then region ordinals
  std::size_t border_leaves_ = 0;
  int depth_ = 0;
};

}  // namespace meteo::geo_detail
